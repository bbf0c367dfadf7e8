// The Subsonic API as a music app uses it: through the npm client `subsonic-api` (written by
// others, pinned in package.json), token authentication with the user's app password. Browse,
// search, album lists, stream with and without Range (bytes compared with the uploaded file),
// a scaled cover, a playlist's life, stars, ratings, scrobbles, the play queue, genres, a
// transcoded stream (ffprobe measures it), and the error codes apps act on. No browser: Node's fetch.
// Env: BASE_URL, SUB_USER + SUB_PASSWORD (an admin's app password) + SUB_API_KEY (its API key), LISTENER_USER +
// LISTENER_PASSWORD (a listener's app password), SONG_FILE + SONG_TITLE + ARTIST_NAME +
// ALBUM_NAME (one uploaded song), SONG_COUNT and ALBUM_COUNT (the library's size).
import { SubsonicAPI } from 'subsonic-api';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, env, StepError } from './steps.mjs';

const baseUrl = env('BASE_URL');
const songBytes = readFileSync(env('SONG_FILE'));
const songTitle = env('SONG_TITLE');
const artistName = env('ARTIST_NAME');
const albumName = env('ALBUM_NAME');
const songCount = Number(env('SONG_COUNT'));
const albumCount = Number(env('ALBUM_COUNT'));

// Extra request headers for the next call (a Range), passed through the client's fetch option.
let extraHeaders = {};
const fetchWithHeaders = (url, init = {}) => fetch(url, { ...init, headers: { ...(init.headers || {}), ...extraHeaders } });
const client = (username, password) => new SubsonicAPI({ url: baseUrl, auth: { username, password }, fetch: fetchWithHeaders });
const api = client(env('SUB_USER'), env('SUB_PASSWORD'));
const listener = client(env('LISTENER_USER'), env('LISTENER_PASSWORD'));

function ok(answer, what) {
  assert(answer && answer.status === 'ok', `${what}: ${JSON.stringify(answer)}`);
  return answer;
}

function failedWith(answer, code, what) {
  assert(answer && answer.status === 'failed', `${what}: expected error ${code}, got ${JSON.stringify(answer)}`);
  assert(answer.error.code === code, `${what}: expected error ${code}, got ${JSON.stringify(answer.error)}`);
}

// Width and height from a PNG's IHDR or a JPEG's start-of-frame, as an image decoder reads them first.
function imageSize(bytes) {
  if (bytes[0] === 0x89 && bytes.toString('ascii', 1, 4) === 'PNG') return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  assert(bytes[0] === 0xff && bytes[1] === 0xd8, 'the cover is neither PNG nor JPEG');
  for (let i = 2; i < bytes.length;) {
    const marker = bytes[i + 1];
    const length = bytes.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  throw new StepError('the JPEG has no frame header');
}

// Seconds of audio in these bytes, as ffprobe (installed with ffmpeg) reads them.
function duration(bytes) {
  const file = join(mkdtempSync(join(tmpdir(), 'subsonic-')), 'audio');
  writeFileSync(file, bytes);
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file]).toString().trim());
}

const steps = [];
const step = (name, body) => steps.push({ name, body });
const state = {};

step('token login and ping', async () => {
  ok(await api.ping(), 'ping');
});

step('the API key alone (apiKeyAuthentication) logs in as the same user', async () => {
  const keyed = new SubsonicAPI({ url: baseUrl, auth: { apiKey: env('SUB_API_KEY') } });
  // The client has no method for this OpenSubsonic addition; apps call it as a custom one.
  const { tokenInfo } = ok(await keyed.customJSON('tokenInfo', {}), 'tokenInfo');
  assert(tokenInfo.username === env('SUB_USER'), JSON.stringify(tokenInfo));
  ok(await keyed.getArtists(), 'getArtists with the API key');
});

step('artists → artist → album → song', async () => {
  const { artists } = ok(await api.getArtists(), 'getArtists');
  const artist = artists.index.flatMap((i) => i.artist).find((a) => a.name === artistName);
  assert(artist, `${artistName} not among ${JSON.stringify(artists.index)}`);
  assert(artist.id.startsWith('ar-'), `artist id ${artist.id}`);
  const { artist: full } = ok(await api.getArtist({ id: artist.id }), 'getArtist');
  const album = full.album.find((a) => a.name === albumName);
  assert(album, `${albumName} not among ${JSON.stringify(full.album)}`);
  const { album: withSongs } = ok(await api.getAlbum({ id: album.id }), 'getAlbum');
  const song = withSongs.song.find((s) => s.title === songTitle);
  assert(song, `${songTitle} not in ${JSON.stringify(withSongs.song)}`);
  assert(song.size === songBytes.length, `size ${song.size}, file ${songBytes.length}`);
  const { song: single } = ok(await api.getSong({ id: song.id }), 'getSong');
  assert(single.title === songTitle && single.albumId === album.id && single.artistId === artist.id, JSON.stringify(single));
  Object.assign(state, { artist, album, song });
});

step('search3: an empty query lists everything, a partial word finds the song', async () => {
  const all = ok(await api.search3({ query: '', songCount: 500, albumCount: 500, artistCount: 500 }), 'search3 empty').searchResult3;
  assert(all.song.length === songCount, `${all.song.length} songs, expected ${songCount}`);
  assert(all.album.length === albumCount, `${all.album.length} albums, expected ${albumCount}`);
  const part = songTitle.slice(1, 5).toLowerCase();
  const found = ok(await api.search3({ query: part }), 'search3 partial').searchResult3;
  assert((found.song || []).some((s) => s.id === state.song.id), `"${part}" did not find ${songTitle}: ${JSON.stringify(found)}`);
  const paged = ok(await api.search3({ query: '', songCount: 1, songOffset: 1, albumCount: 0, artistCount: 0 }), 'search3 paged').searchResult3;
  assert(paged.song.length === 1 && paged.song[0].id === all.song[1].id, `songOffset: ${JSON.stringify(paged.song)}`);
});

step('getAlbumList2 random, newest and alphabetical (the personal, year and genre types follow below)', async () => {
  for (const type of ['random', 'newest', 'alphabeticalByName', 'alphabeticalByArtist']) {
    const { albumList2 } = ok(await api.getAlbumList2({ type, size: 500 }), type);
    assert(albumList2.album.length === albumCount, `${type}: ${albumList2.album.length} albums, expected ${albumCount}`);
    if (type === 'alphabeticalByName') {
      const names = albumList2.album.map((a) => a.name.toLowerCase());
      assert(names.join('|') === [...names].sort().join('|'), `not by name: ${names}`);
    }
    if (type === 'newest') {
      const created = albumList2.album.map((a) => a.created);
      assert(created.join('|') === [...created].sort().reverse().join('|'), `not newest first: ${created}`);
    }
  }
  const { albumList2: two } = ok(await api.getAlbumList2({ type: 'alphabeticalByName', size: 1, offset: 1 }), 'paged');
  assert(two.album.length === 1, `size 1 gave ${two.album.length}`);
});

step('stream a song whole and with a Range; the bytes are the file\'s', async () => {
  const whole = await api.stream({ id: state.song.id });
  assert(whole.status === 200, `stream answered ${whole.status}`);
  const body = Buffer.from(await whole.arrayBuffer());
  assert(body.equals(songBytes), `streamed ${body.length} bytes differ from the file's ${songBytes.length}`);
  extraHeaders = { Range: 'bytes=1000-4999' };
  try {
    const part = await api.stream({ id: state.song.id });
    assert(part.status === 206, `ranged stream answered ${part.status}`);
    assert(part.headers.get('content-range') === `bytes 1000-4999/${songBytes.length}`, `Content-Range ${part.headers.get('content-range')}`);
    const slice = Buffer.from(await part.arrayBuffer());
    assert(slice.equals(songBytes.subarray(1000, 5000)), 'the ranged bytes differ from the file\'s');
  } finally {
    extraHeaders = {};
  }
  const download = await api.download({ id: state.song.id });
  assert(Buffer.from(await download.arrayBuffer()).equals(songBytes), 'download differs from the file');
});

step('getCoverArt with a size is an image of that size', async () => {
  const answer = await api.getCoverArt({ id: state.album.coverArt, size: 32 });
  assert(answer.status === 200 && answer.headers.get('content-type').startsWith('image/'), `cover answered ${answer.status} ${answer.headers.get('content-type')}`);
  const { width, height } = imageSize(Buffer.from(await answer.arrayBuffer()));
  assert(width === 32 && height === 32, `cover is ${width}x${height}`);
  const original = imageSize(Buffer.from(await (await api.getCoverArt({ id: state.album.coverArt })).arrayBuffer()));
  assert(original.width > 32, `the original is ${original.width} wide`);
});

step('create, update and delete a playlist', async () => {
  const { playlist } = ok(await api.createPlaylist({ name: 'Road trip', songId: [state.song.id, state.song.id] }), 'createPlaylist');
  assert(playlist.id.startsWith('pl-') && playlist.entry.length === 2, JSON.stringify(playlist));
  const other = (await api.search3({ query: '', songCount: 500 })).searchResult3.song.find((s) => s.id !== state.song.id);
  ok(await api.updatePlaylist({ playlistId: playlist.id, name: 'Road trip 2', songIdToAdd: [other.id], songIndexToRemove: [0] }), 'updatePlaylist');
  const { playlist: updated } = ok(await api.getPlaylist({ id: playlist.id }), 'getPlaylist');
  assert(updated.name === 'Road trip 2', `name ${updated.name}`);
  assert(updated.entry.map((e) => e.id).join() === [state.song.id, other.id].join(), `entries ${updated.entry.map((e) => e.title)}`);
  const { playlists } = ok(await api.getPlaylists(), 'getPlaylists');
  assert(playlists.playlist.some((p) => p.id === playlist.id && p.songCount === 2), JSON.stringify(playlists));
  ok(await api.deletePlaylist({ id: playlist.id }), 'deletePlaylist');
  failedWith(await api.getPlaylist({ id: playlist.id }), 70, 'the deleted playlist');
});

step('formPost: the same client posting forms browses and streams', async () => {
  const poster = new SubsonicAPI({ url: baseUrl, auth: { username: env('SUB_USER'), password: env('SUB_PASSWORD') }, post: true });
  const { openSubsonicExtensions } = ok(await poster.getOpenSubsonicExtensions(), 'getOpenSubsonicExtensions');
  assert(openSubsonicExtensions.some((e) => e.name === 'formPost' && e.versions.includes(1)), JSON.stringify(openSubsonicExtensions));
  const { song } = ok(await poster.getSong({ id: state.song.id }), 'getSong by POST');
  assert(song.title === songTitle, JSON.stringify(song));
  const streamed = await poster.stream({ id: state.song.id });
  assert(streamed.status === 200, `POST stream answered ${streamed.status}`);
  assert(Buffer.from(await streamed.arrayBuffer()).equals(songBytes), 'the POSTed stream differs from the file');
});

step('star and unstar a song, an album and an artist; getStarred2 lists them', async () => {
  ok(await api.star({ id: state.song.id, albumId: state.album.id, artistId: state.artist.id }), 'star');
  const { starred2 } = ok(await api.getStarred2({}), 'getStarred2');
  assert(starred2.song.some((s) => s.id === state.song.id && s.starred), `song: ${JSON.stringify(starred2.song)}`);
  assert(starred2.album.some((a) => a.id === state.album.id && a.starred), `album: ${JSON.stringify(starred2.album)}`);
  assert(starred2.artist.some((a) => a.id === state.artist.id && a.starred), `artist: ${JSON.stringify(starred2.artist)}`);
  assert((await api.getSong({ id: state.song.id })).song.starred, 'getSong shows no star');
  ok(await api.unstar({ id: state.song.id, albumId: state.album.id, artistId: state.artist.id }), 'unstar');
  const after = ok(await api.getStarred2({}), 'getStarred2 after unstar').starred2;
  assert(![...(after.song || []), ...(after.album || []), ...(after.artist || [])].length, `still starred: ${JSON.stringify(after)}`);
  failedWith(await api.star({ id: 'tr-00000000-0000-0000-0000-000000000000' }), 70, 'starring an unknown song');
});

step('setRating shows as userRating; 0 clears it', async () => {
  ok(await api.setRating({ id: state.song.id, rating: 5 }), 'setRating 5');
  assert((await api.getSong({ id: state.song.id })).song.userRating === 5, 'userRating is not 5');
  ok(await api.setRating({ id: state.song.id, rating: 0 }), 'setRating 0');
  assert((await api.getSong({ id: state.song.id })).song.userRating === undefined, 'the rating was not cleared');
  failedWith(await api.setRating({ id: state.song.id, rating: 6 }), 0, 'rating 6');
});

step('scrobble counts a play: getAlbumList2 frequent and recent show the album, playCount goes up', async () => {
  const before = (await api.getSong({ id: state.song.id })).song.playCount || 0;
  ok(await api.scrobble({ id: state.song.id, submission: true }), 'scrobble');
  const { song } = await api.getSong({ id: state.song.id });
  assert(song.playCount === before + 1, `playCount ${song.playCount}, was ${before}`);
  assert(song.played, `no played time: ${JSON.stringify(song)}`);
  for (const type of ['frequent', 'recent']) {
    const { albumList2 } = ok(await api.getAlbumList2({ type }), type);
    assert(albumList2.album[0].id === state.album.id, `${type}: ${JSON.stringify(albumList2.album)}`);
  }
  ok(await api.scrobble({ id: state.song.id, submission: false }), 'now playing');
  const { nowPlaying } = ok(await api.getNowPlaying(), 'getNowPlaying');
  assert(nowPlaying.entry.some((e) => e.id === state.song.id && e.username === env('SUB_USER')), JSON.stringify(nowPlaying));
});

step('savePlayQueue and getPlayQueue round trip', async () => {
  const all = (await api.search3({ query: '', songCount: 500 })).searchResult3.song;
  const ids = [all[1].id, state.song.id, all[2].id];
  ok(await api.savePlayQueue({ id: ids, current: state.song.id, position: 61000 }), 'savePlayQueue');
  const { playQueue } = ok(await api.getPlayQueue(), 'getPlayQueue');
  assert(playQueue.entry.map((e) => e.id).join() === ids.join(), `entries ${JSON.stringify(playQueue.entry)}`);
  assert(playQueue.current === state.song.id && playQueue.position === 61000, JSON.stringify(playQueue));
  assert(playQueue.username === env('SUB_USER') && playQueue.changed, JSON.stringify(playQueue));
});

step('getGenres counts songs and albums; getSongsByGenre lists a genre\'s songs', async () => {
  const { genres } = ok(await api.getGenres(), 'getGenres');
  const folk = genres.genre.find((g) => g.value === 'Folk');
  assert(folk && folk.songCount === 2 && folk.albumCount === 1, JSON.stringify(genres));
  const { songsByGenre } = ok(await api.getSongsByGenre({ genre: 'Folk', count: 10 }), 'getSongsByGenre');
  assert(songsByGenre.song.length === 2 && songsByGenre.song.every((s) => s.genre === 'Folk'), JSON.stringify(songsByGenre));
});

step('getAlbumList2 starred, highest, byYear (both ways) and byGenre', async () => {
  const list = async (params) => ok(await api.getAlbumList2(params), JSON.stringify(params)).albumList2.album || [];
  ok(await api.star({ albumId: state.album.id }), 'star the album');
  const starred = await list({ type: 'starred' });
  assert(starred.length === 1 && starred[0].id === state.album.id, `starred: ${JSON.stringify(starred)}`);
  ok(await api.unstar({ albumId: state.album.id }), 'unstar the album');
  ok(await api.setRating({ id: state.song.id, rating: 4 }), 'rate a song of the album');
  const highest = await list({ type: 'highest' });
  assert(highest.length && highest[0].id === state.album.id, `highest: ${JSON.stringify(highest)}`);
  ok(await api.setRating({ id: state.song.id, rating: 0 }), 'clear the rating');
  const years = (albums) => albums.map((a) => `${a.name} ${a.year}`).join(', ');
  const forward = await list({ type: 'byYear', fromYear: 2021, toYear: 2022 });
  assert(years(forward) === 'Foundry 2021, Bellows 2022', `byYear 2021-2022: ${years(forward)}`);
  const backward = await list({ type: 'byYear', fromYear: 2022, toYear: 2021 });
  assert(years(backward) === 'Bellows 2022, Foundry 2021', `byYear 2022-2021: ${years(backward)}`);
  const rock = await list({ type: 'byGenre', genre: 'Rock' });
  assert(rock.map((a) => a.name).sort().join() === 'Bellows,Foundry', `byGenre Rock: ${JSON.stringify(rock.map((a) => a.name))}`);
});

step('a transcoded stream: mp3 at 64 kbps is other bytes of the same length; timeOffset starts it later', async () => {
  const { openSubsonicExtensions } = ok(await api.getOpenSubsonicExtensions(), 'getOpenSubsonicExtensions');
  assert(openSubsonicExtensions.some((e) => e.name === 'transcodeOffset'), JSON.stringify(openSubsonicExtensions));
  const transcoded = await api.stream({ id: state.song.id, format: 'mp3', maxBitRate: 64 });
  assert(transcoded.status === 200 && transcoded.headers.get('content-type') === 'audio/mpeg',
    `transcoded stream answered ${transcoded.status} ${transcoded.headers.get('content-type')}`);
  const bytes = Buffer.from(await transcoded.arrayBuffer());
  assert(!bytes.equals(songBytes) && bytes.length < songBytes.length, `${bytes.length} bytes, the file has ${songBytes.length}`);
  const whole = duration(songBytes);
  assert(Math.abs(duration(bytes) - whole) < 0.3, `transcoded ${duration(bytes)} s, the file ${whole} s`);
  const later = await api.stream({ id: state.song.id, format: 'mp3', maxBitRate: 64, timeOffset: 2 });
  const shorter = duration(Buffer.from(await later.arrayBuffer()));
  assert(Math.abs(shorter - (whole - 2)) < 0.3, `from 2 s: ${shorter} s of ${whole} s`);
});

step('error codes: wrong password 40, missing parameter 10, unknown id 70, wrong id type 70, listener calling getUsers 50', async () => {
  failedWith(await client(env('SUB_USER'), 'not-the-app-password').ping(), 40, 'wrong password');
  failedWith(await api.getAlbum({}), 10, 'getAlbum without id');
  failedWith(await api.getAlbum({ id: 'al-00000000-0000-0000-0000-000000000000' }), 70, 'unknown album');
  failedWith(await api.getArtist({ id: state.album.id }), 70, 'an album id as an artist id');
  failedWith(await listener.getUsers(), 50, 'a listener calling getUsers');
  ok(await listener.ping(), 'the listener\'s own app password works');
});

let failed = false;
for (const [i, { name, body }] of steps.entries()) {
  try {
    await body();
    console.log(`ok ${i + 1} - ${name}`);
  } catch (e) {
    console.log(`FAIL ${i + 1} - ${name}: ${e instanceof StepError ? e.message : e.stack}`);
    failed = true;
    break;
  }
}
console.log(failed ? 'FAIL: a step failed' : 'PASS: all steps passed');
process.exit(failed ? 1 : 0);
