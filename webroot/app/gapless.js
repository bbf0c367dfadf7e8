// Gapless playback: while one <audio> element plays, a second one (the spare) loads the next track,
// and the player hands over to it LEAD_S before the first one ends (Player.handOver), so the next
// track starts where the last one stops instead of after a fresh request and decoder start-up
// (about 50 ms of silence with one element). The old element plays out its last milliseconds on its own.
//
// Timing: 'timeupdate' comes only every ~250 ms, so once the end is less than SCHEDULE_S away a
// timer is set for the exact moment, read again from currentTime when it fires. If the timer comes
// too late (a throttled tab) the 'ended' event hands over instead, still without loading anything.
// How the gap is measured: webtest/queue.test.mjs, step "gapless".
import { streamUrl } from './api.js';

// Start loading the next track this long before the end: enough for a slow stream, little enough
// that skipping a song wastes little.
const PRELOAD_S = 30;
const SCHEDULE_S = 0.6;
// An element that has its data still takes a while from play() until its clock moves (about 0.1 s
// in headless Chromium, the time to start the audio output): the hand-over is made that much before
// the end, so the next track's first sample follows the last one. Measured again at each hand-over
// (see started()), as it differs between machines; kept within these bounds.
const LEAD_S = 0.12;
const LEAD_MAX_S = 0.3;

// The second element, next to the first, inert until it holds a track.
export function spareOf(audio) {
  const spare = document.createElement('audio');
  spare.preload = 'auto';
  spare.id = 'audio-next';
  spare.dataset.testid = 'audio-next';
  audio.after(spare);
  return spare;
}

export class Gapless {
  constructor(player) {
    this.player = player;
    this.songId = null; // what the spare holds (or is loading)
    this.failedId = null; // a song the spare could not load: not tried again, 'ended' plays it the usual way
    this.timer = null;
    this.lead = LEAD_S;
    this.handedAt = null; // performance.now() of the last hand-over, until the new clock is seen moving
    // A song the spare failed on while the server was away is worth loading again once it is back.
    player.connection.addEventListener('online', () => { this.failedId = null; });
  }

  // Whether the spare holds `song` with enough data to start at once.
  holds(song) {
    const spare = this.player.spare;
    return !!song && this.songId === song.id && !spare.error && spare.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA;
  }

  // On each 'timeupdate' of the playing element.
  onTime() {
    const p = this.player;
    const a = p.audio;
    this.started(a);
    if (!p.wantPlay || p.recovering || a.paused || !Number.isFinite(a.duration)) return;
    const left = (a.duration - a.currentTime) / (a.playbackRate || 1);
    if (left > PRELOAD_S) return;
    const i = p.upcoming();
    if (i < 0) return;
    const song = p.queue[i];
    if (this.songId !== song.id) this.load(song);
    else if (left < SCHEDULE_S && !this.timer && this.holds(song)) this.schedule(i, song);
  }

  load(song) {
    const spare = this.player.spare;
    // The element handed over from still plays out its end; it loads once that is done.
    if (song.id === this.failedId || (!spare.paused && !spare.ended)) return;
    this.songId = song.id;
    spare.src = streamUrl(song.id);
    spare.load();
  }

  schedule(i, song) {
    const p = this.player;
    const a = p.audio;
    const left = (a.duration - a.currentTime) / (a.playbackRate || 1);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (a !== p.audio || a.paused || !p.wantPlay || p.upcoming() !== i || p.queue[i] !== song || !this.holds(song)) return;
      const now = (a.duration - a.currentTime) / (a.playbackRate || 1);
      if (now > this.lead + 0.002) { this.schedule(i, song); return; }
      p.handOver(i);
    }, Math.max(0, (left - this.lead) * 1000));
  }

  // The spare became the playing element; the new spare holds nothing yet.
  swapped() {
    this.cancel();
    this.songId = null;
    this.handedAt = performance.now();
  }

  // The first 'timeupdate' after a hand-over: when its clock really started tells the lead to use.
  started(a) {
    if (this.handedAt == null || !(a.currentTime > 0)) return;
    const startedAt = performance.now() - (a.currentTime * 1000) / (a.playbackRate || 1);
    const took = (startedAt - this.handedAt) / 1000;
    this.handedAt = null;
    if (took >= 0 && took <= LEAD_MAX_S) this.lead = (this.lead + took) / 2;
  }

  spareFailed() {
    this.failedId = this.songId;
    this.songId = null;
  }

  cancel() {
    clearTimeout(this.timer);
    this.timer = null;
  }

  // Nothing plays any more: the spare lets go of its track.
  reset() {
    this.cancel();
    const spare = this.player.spare;
    spare.pause();
    spare.removeAttribute('src');
    spare.load();
    this.songId = null;
    this.failedId = null;
  }
}
