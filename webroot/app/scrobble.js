// Scrobbling: a song counts as played once it has really played (not been skipped through) for
// half its length or 4 minutes, whichever comes first, as Last.fm counts. Once per play: a new
// track, or the same one started over (repeat one), is a new play.
import { mine, remember, markOf } from './userlib.js';

const LONGEST_WAIT = 240; // seconds
const RETRIES = [5000, 30000, 120000]; // ms: a scrobble the server missed is sent again

export function scrobbleFor(player) {
  let songId = null;
  let listened = 0; // seconds heard of this play
  let last = null; // the position of the previous 'time' event
  let sent = false;

  const reset = () => { songId = player.current ? player.current.id : null; listened = 0; last = null; sent = false; };
  player.addEventListener('track', reset);
  player.addEventListener('time', () => {
    const song = player.current;
    if (!song) return;
    if (song.id !== songId) reset();
    const t = player.time;
    if (last != null) {
      const step = t - last;
      // Only steps of ordinary playback count; seeking jumps. Back at the start after a play: a new play.
      if (step > 0 && step < 2 && player.playing) listened += step;
      else if (sent && t < 1 && last > t + 1) { listened = 0; sent = false; }
    }
    last = t;
    const duration = (Number.isFinite(player.audio.duration) && player.audio.duration) || song.duration || 0;
    if (!sent && duration > 0 && listened >= Math.min(duration / 2, LONGEST_WAIT)) {
      sent = true;
      send(song, 0);
    }
  });
}

async function send(song, attempt) {
  try {
    await mine.played(song.id);
    remember('songs', song.id, 'playCount', (markOf('songs', song, 'playCount') || 0) + 1);
  } catch (e) {
    // The song went (404) or the session ended: nothing to retry. The server away: later.
    if (e.status && e.status < 500) { console.warn(`scrobble of ${song.id} refused: ${e.message}`); return; }
    if (attempt < RETRIES.length) setTimeout(() => send(song, attempt + 1), RETRIES[attempt]);
    else console.warn(`scrobble of ${song.id} lost: ${e.message}`);
  }
}
