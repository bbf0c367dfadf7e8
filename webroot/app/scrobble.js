// Scrobbling: a song counts as played once it has really played (not been skipped through) for
// half its length or 4 minutes, whichever comes first, as Last.fm counts. Once per play: a new
// track, or the same one started over (repeat one), is a new play. No imports, so that
// webtest/scrobble.test.mjs runs it in Node with a stand-in player.

export const LONGEST_WAIT_S = 240;
// A scrobble the server missed (away, or 5xx) is sent again after these; a refusal (4xx) is not.
export const RETRY_MS = [5000, 30000, 120000];
// Steps of the position longer than this are seeks, not listening.
const MAX_STEP_S = 2;

// player: emits 'track' and 'time', has current (a song: {id, duration}), time, playing, audio.duration.
// post(song) → a Promise, rejected with {status} (0: no answer) when the play was not recorded.
export function scrobbleFor(player, post, retryMs = RETRY_MS) {
  let songId = null;
  let listened = 0; // seconds heard of this play
  let last = null; // the position at the previous 'time' event
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
      if (step > 0 && step < MAX_STEP_S && player.playing) listened += step;
      else if (sent && t < 1 && last > t + 1) { listened = 0; sent = false; } // started over after a counted play
    }
    last = t;
    const duration = (Number.isFinite(player.audio.duration) && player.audio.duration) || song.duration || 0;
    if (!sent && duration > 0 && listened >= Math.min(duration / 2, LONGEST_WAIT_S)) {
      sent = true;
      send(song, 0);
    }
  });

  async function send(song, attempt) {
    try {
      await post(song);
    } catch (e) {
      if (e && e.status && e.status < 500) { console.warn(`scrobble of ${song.id} refused: ${e.message}`); return; }
      if (attempt < retryMs.length) setTimeout(() => send(song, attempt + 1), retryMs[attempt]);
      else console.warn(`scrobble of ${song.id} lost: ${e && e.message}`);
    }
  }
}
