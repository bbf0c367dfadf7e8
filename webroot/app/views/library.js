// Library views: albums grid, artists grid, all songs, artist page, album page.
import { h, icon, cover, fmtDuration, gradientFor, initials, averageColor } from '../dom.js';
import { api } from '../api.js';
import { app, routes, go } from '../state.js';
import { playAllButtons, playAll as playAllSongs } from '../playall.js';
import { albumDownloadUrl } from '../downloads.js';
import { parseSort, sortQuery, sortableHead, sortPicker } from '../sorting.js';
import { rememberAlbum } from '../player.js';
import { starToggle } from '../userlib.js';
import { paintHero, meanStop, parseColour } from '../contrast.js';
import {
  albumCard, artistCard, songList, pager, emptyState, spinner, errorBox,
  plural, countOf, playAlbum, addToPlaylist, newPlaylistWith, showMenu, toast, avatarLook,
} from '../ui.js';

function uploadHint() {
  return app.isAdmin
    ? h('button', { class: 'btn btn-primary', type: 'button', onclick: () => document.querySelector('[data-testid="upload-input"]')?.click() }, icon('upload'), 'Upload music')
    : null;
}

export function albumsView(root, params, ctx) {
  const grid = h('div', { class: 'grid', 'data-testid': 'albums-grid' });
  const sub = h('p', { class: 'page-sub' });
  root.append(h('header', { class: 'page-header' }, h('h1', null, 'Albums'), sub), grid);
  const p = pager({
    alive: ctx.alive,
    fetchPage: (offset, limit) => api.albums({ offset, limit }),
    onFirst: (res) => {
      sub.textContent = countOf(res, 'album');
      if (!res.total) grid.replaceWith(emptyState('album', 'Your library is empty', app.isAdmin ? 'Drop audio files anywhere on this window, or pick them from disk.' : 'Ask an admin to upload some music.', uploadHint()));
    },
    render: (items) => items.forEach((a) => grid.appendChild(albumCard(a))),
  });
  root.append(p.el);
}

export function artistsView(root, params, ctx) {
  const grid = h('div', { class: 'grid', 'data-testid': 'artists-grid' });
  const sub = h('p', { class: 'page-sub' });
  root.append(h('header', { class: 'page-header' }, h('h1', null, 'Artists'), sub), grid);
  const p = pager({
    alive: ctx.alive,
    fetchPage: (offset, limit) => api.artists({ offset, limit }),
    onFirst: (res) => {
      sub.textContent = countOf(res, 'artist');
      if (!res.total) grid.replaceWith(emptyState('artist', 'No artists yet', 'Artists appear here once music is uploaded.', uploadHint()));
    },
    render: (items) => items.forEach((a) => grid.appendChild(artistCard(a))),
  });
  root.append(p.el);
}

export function songsView(root, params, ctx) {
  const order = parseSort(params[0]);
  const resort = (next) => go('#/songs' + sortQuery(next));
  const list = songList({ showAlbum: true, showCover: true, showPlays: true, testid: 'songs-list' });
  sortableHead(list.el, order, resort);
  const sub = h('p', { class: 'page-sub' });
  const filters = () => ({ sort: order.sort, order: order.order });
  root.append(h('header', { class: 'page-header' }, h('h1', null, 'Songs'), sub),
    h('div', { class: 'list-tools' }, playAllButtons(filters), sortPicker(order, resort)), list.el);
  const p = pager({
    alive: ctx.alive,
    fetchPage: (offset, limit, after) => api.songs({ ...(after ? { after } : { offset }), limit, ...filters() }),
    onFirst: (res) => {
      sub.textContent = countOf(res, 'song');
      if (!res.total) list.el.replaceWith(emptyState('song', 'No songs yet', app.isAdmin ? 'Drop audio files anywhere on this window.' : 'Ask an admin to upload some music.', uploadHint()));
    },
    render: (items) => list.add(items),
  });
  root.append(p.el);
}

export async function artistView(root, params, ctx) {
  root.append(spinner());
  let artist;
  try { artist = await api.artist(params[0]); } catch (e) { if (ctx.alive()) root.replaceChildren(errorBox(e)); return; }
  if (!ctx.alive()) return;
  const albums = artist.albums || [];
  albums.forEach(rememberAlbum);
  // Every song of the artist, from the server's id list: not one request per album.
  const playAll = (shuffle) => playAllSongs({ artistId: artist.id }, shuffle);
  root.replaceChildren(
    h(paintHero(h('section', { class: 'hero hero-artist' }), meanStop(gradientFor(artist.id || artist.name))), null,
      h('div', { class: 'avatar avatar-lg', style: avatarLook(artist) }, initials(artist.name)),
      h('div', { class: 'hero-text' },
        h('div', { class: 'eyebrow' }, 'Artist'),
        h('h1', { class: 'hero-title', 'data-testid': 'artist-name' }, artist.name || 'Unknown artist'),
        h('div', { class: 'hero-meta' }, plural(artist.albumCount ?? albums.length, 'album') + ' · ' + plural(artist.songCount, 'song')))),
    h('div', { class: 'action-bar' },
      h('button', { class: 'big-play', type: 'button', title: 'Play', 'aria-label': 'Play artist', 'data-testid': 'play-artist', onclick: () => playAll(false) }, icon('play')),
      h('button', { class: 'icon-btn icon-btn-lg', type: 'button', title: 'Shuffle play', 'aria-label': 'Shuffle play', 'data-testid': 'shuffle-artist', onclick: () => playAll(true) }, icon('shuffle')),
      starToggle('artists', artist, 'icon-btn-lg')),
    h('h2', { class: 'section-title' }, 'Albums'),
    albums.length ? h('div', { class: 'grid' }, albums.map(albumCard)) : emptyState('album', 'No albums', null));
}

export async function albumView(root, params, ctx) {
  root.append(spinner());
  let album;
  try { album = await api.album(params[0]); } catch (e) { if (ctx.alive()) root.replaceChildren(errorBox(e)); return; }
  if (!ctx.alive()) return;
  rememberAlbum(album);
  const songs = album.songs || [];
  const total = songs.reduce((s, x) => s + (x.duration || 0), 0);
  const list = songList({ showAlbum: false, numbering: 'track', testid: 'album-songs' });
  list.add(songs, true);
  const moreBtn = h('button', { class: 'icon-btn icon-btn-lg', type: 'button', title: 'More', 'aria-label': 'More options',
    onclick: () => showMenu(moreBtn, [
      { label: 'Add to queue', icon: 'queue', onClick: () => { app.player.enqueue(songs); toast('Album added to queue'); } },
      { sep: true }, { header: 'Add to playlist' },
      ...app.playlists.map((pl) => ({ label: pl.name, icon: 'playlist', onClick: () => addToPlaylist(pl, songs) })),
      { label: 'New playlist…', icon: 'plus', onClick: () => newPlaylistWith(songs) },
    ]) }, icon('more'));
  const heroCover = cover(album, 'cover cover-hero');
  const hero = paintHero(h('section', { class: 'hero', 'data-testid': 'album-hero' }), meanStop(gradientFor(album.id)));
  const heroImg = heroCover.querySelector('img');
  if (heroImg) {
    heroImg.addEventListener('load', () => {
      const c = parseColour(averageColor(heroImg));
      if (c) { paintHero(hero, c); hero.dataset.colourFrom = 'cover'; }
    });
  }
  root.replaceChildren(
    h(hero, null,
      heroCover,
      h('div', { class: 'hero-text' },
        h('div', { class: 'eyebrow' }, 'Album'),
        h('h1', { class: 'hero-title', 'data-testid': 'album-title' }, album.title || 'Unknown album'),
        h('div', { class: 'hero-meta' },
          album.artistId ? h('a', { class: 'link strong', href: routes.artist(album.artistId) }, album.artist || 'Unknown artist') : h('strong', null, album.artist || ''),
          album.year ? ' · ' + album.year : '',
          ' · ' + plural(songs.length, 'song'),
          total ? ', ' + fmtDuration(total) : ''),
        h('div', { class: 'hero-meta hero-formats', 'data-testid': 'album-formats' }, albumFormats(songs)))),
    h('div', { class: 'action-bar' },
      h('button', { class: 'big-play', type: 'button', title: 'Play album', 'aria-label': 'Play album', 'data-testid': 'play-album', onclick: () => playAlbum(album.id) }, icon('play')),
      h('button', { class: 'icon-btn icon-btn-lg', type: 'button', title: 'Shuffle play', 'aria-label': 'Shuffle play', onclick: () => playAlbum(album.id, true) }, icon('shuffle')),
      starToggle('albums', album, 'icon-btn-lg'),
      h('a', { class: 'icon-btn icon-btn-lg', href: albumDownloadUrl(album.id), download: '', title: 'Download album (zip)', 'aria-label': 'Download album', 'data-testid': 'album-download' }, icon('download')),
      moreBtn),
    songs.length ? list.el : emptyState('song', 'This album is empty', null));
}

// "MP3 · 320 kbps · Jazz": the album's codecs, bitrates and genres, each once.
function albumFormats(songs) {
  const once = (f) => [...new Set(songs.map(f).filter((x) => x != null && x !== ''))];
  const rates = once((s) => s.bitrate);
  return [
    once((s) => s.codec).join(', '),
    rates.length ? (rates.length === 1 ? rates[0] : Math.min(...rates) + '–' + Math.max(...rates)) + ' kbps' : '',
    once((s) => s.genre).join(', '),
  ].filter(Boolean).join(' · ');
}
