// Play queue + <audio> element + Media Session integration.
import { streamUrl, api } from './api.js';
import { coverUrl } from './dom.js';
import { Gapless, spareOf } from './gapless.js';

const REPEAT_MODES = ['off', 'all', 'one'];
// Playing, yet the position has not moved for this long: the stream is stuck
// (a dead server often gives 'waiting'/'stalled' and no 'error' at all).
const STALL_MS = 6000;
// A reload that fails this often while the server answers: the song itself is bad.
const MAX_RELOADS = 3;
const CHECK_AFTER_MS = 1000;

// Cache of album metadata (for hasCover) keyed by album id.
const albumCache = new Map();
export function rememberAlbum(album) {
  if (album && album.id) albumCache.set(album.id, Promise.resolve(album));
}
export function albumMeta(albumId) {
  if (!albumId) return Promise.resolve(null);
  if (!albumCache.has(albumId)) {
    albumCache.set(albumId, api.album(albumId).catch(() => null));
  }
  return albumCache.get(albumId);
}
export function forgetAlbums() { albumCache.clear(); }

export class Player extends EventTarget {
  // connection: the Reconnector shared with API calls (see reconnect.js).
  constructor(audio, connection) {
    super();
    this.audio = audio;
    this.connection = connection;
    this.wantPlay = false; // the listener's intent, which a failing stream must not change
    this.position = 0; // the last position really reached (resume point)
    this.recovering = false; // between a stream failure and the reload playing again
    this.reloads = 0; // reloads that failed in a row while the server answered
    this.lastProgress = Date.now();
    this.pendingResume = null; // the 'loadedmetadata' handler of a reload in flight
    this.checkTimer = null; // a starved stream asks the server once this fires
    this.startAt = null; // a restored track's position, applied once its metadata is in (restore())
    this.queue = [];
    this.index = -1;
    this.shuffle = false;
    this.repeat = 'off';
    this.history = []; // indices played before (for "previous" in shuffle mode)
    this.bag = []; // indices still to play in shuffle mode
    this.lastVolume = 1;

    // Two elements: `audio` plays, `spare` loads the next track for a gapless hand-over (gapless.js).
    this.spare = spareOf(audio);
    this.gapless = new Gapless(this);
    this.waiting = false; // the playing element ran out of data (the play button shows a spinner)
    this.pick = null; // in shuffle, the next track drawn ahead of time so the spare can load it

    const vol = parseFloat(localStorage.getItem('dspot.volume'));
    const muted = localStorage.getItem('dspot.muted') === '1';
    for (const el of [audio, this.spare]) {
      el.volume = Number.isFinite(vol) ? Math.min(1, Math.max(0, vol)) : 0.8;
      el.muted = muted;
    }
    this.shuffle = localStorage.getItem('dspot.shuffle') === '1';
    const rep = localStorage.getItem('dspot.repeat');
    if (REPEAT_MODES.includes(rep)) this.repeat = rep;

    this.listen(audio);
    this.listen(this.spare);
    connection.addEventListener('online', () => this.reload());
    // The server is gone (found by the stream or by an API call): a stream that cannot go on joins the retry.
    connection.addEventListener('reconnecting', () => {
      if (this.wantPlay && this.current && (this.audio.error || this.audio.readyState < HTMLMediaElement.HAVE_FUTURE_DATA)) this.streamFailed();
    });
    connection.addEventListener('failed', () => this.emit('state'));
    setInterval(() => this.watchStall(), 1000);
    this.setupMediaSession();
  }

  emit(type, detail) { this.dispatchEvent(new CustomEvent(type, { detail })); }

  // Events count only from the element that plays; the spare's own errors only cancel its preload.
  listen(el) {
    const on = (type, fn) => el.addEventListener(type, (e) => { if (el === this.audio) fn(e); });
    on('timeupdate', () => {
      this.noteProgress();
      // Data came back without a 'playing' event (Chromium skips it after some seeks).
      if (this.waiting && !el.paused && el.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA) this.setWaiting(false);
      this.emit('time');
      this.updatePosition();
      this.gapless.onTime();
    });
    on('durationchange', () => this.emit('time'));
    on('loadedmetadata', () => { this.applyStartAt(); this.emit('time'); this.updatePosition(); });
    on('play', () => { this.emit('play'); this.emit('state'); });
    on('pause', () => {
      // Paused by the browser or the OS (not by a failing stream): the listener's intent follows.
      if (!this.recovering && !el.error && !el.ended) this.wantPlay = false;
      this.setWaiting(false);
      this.emit('state');
    });
    on('playing', () => { this.lastProgress = Date.now(); this.setWaiting(false); this.emit('state'); });
    on('waiting', () => { this.setWaiting(true); this.checkSoon(); });
    on('stalled', () => { if (!el.paused && el.readyState < HTMLMediaElement.HAVE_FUTURE_DATA) this.setWaiting(true); this.checkSoon(); });
    on('volumechange', () => {
      localStorage.setItem('dspot.volume', String(el.volume));
      localStorage.setItem('dspot.muted', el.muted ? '1' : '0');
      this.emit('volume');
    });
    on('ended', () => this.onEnded());
    on('error', () => {
      this.setWaiting(false);
      if (!el.getAttribute('src')) return;
      this.streamFailed();
    });
    el.addEventListener('error', () => { if (el === this.spare) this.gapless.spareFailed(); });
  }

  setWaiting(waiting) {
    if (this.waiting === waiting) return;
    this.waiting = waiting;
    this.emit('state');
  }

  // What the play button shows as a spinner: the listener wants music and the stream has none yet.
  get buffering() { return this.active && (this.recovering || this.waiting); }

  get current() { return this.index >= 0 ? this.queue[this.index] || null : null; }
  get playing() { return !this.audio.paused && !this.audio.ended; }

  // ---- recovery: same URL, same position, as soon as the server answers ----
  noteProgress() {
    const t = this.audio.currentTime;
    if (this.recovering || this.startAt != null || !Number.isFinite(t)) return;
    if (t !== this.position) { this.lastProgress = Date.now(); this.reloads = 0; }
    this.position = t;
  }

  // Where the listener is, also while the element is reloading or a restored track loads (it reads 0 then).
  get time() { return this.recovering || this.startAt != null ? this.position : this.audio.currentTime || 0; }

  watchStall() {
    if (!this.current || this.audio.ended) return;
    // A reload that neither plays nor fails in time counts as failed too.
    const reloading = this.recovering && this.connection.state === 'online';
    if (!reloading) {
      if (this.recovering || !this.wantPlay) return;
      if (this.audio.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA && !this.audio.paused) { this.lastProgress = Date.now(); return; }
    }
    if (Date.now() - this.lastProgress > STALL_MS) this.streamFailed();
  }

  // Buffering for a moment is normal; still starved after CHECK_AFTER_MS, ask whether the server is
  // there rather than wait STALL_MS (Chromium keeps retrying a dead server without an 'error').
  checkSoon() {
    if (!this.wantPlay || this.recovering || this.checkTimer) return;
    this.checkTimer = setTimeout(() => {
      this.checkTimer = null;
      if (this.recovering || this.audio.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA) return;
      // An API call already found the server gone: join its retry instead of asking again.
      if (this.connection.reconnecting) this.streamFailed(); else this.connection.check();
    }, CHECK_AFTER_MS);
  }

  // After the reconnector gave up this only marks the stream for reloading: start() leaves a
  // failed connection alone, so only the listener's Retry or Play tries again.
  streamFailed() {
    if (!this.current) return;
    // Already waiting for the server; a failed reload (server answering) tries again.
    if (this.recovering && this.connection.state !== 'online') return;
    this.recovering = true;
    this.emit('state');
    this.connection.start();
  }

  // The server answers again: load the same URL and go back to where we were.
  reload() {
    if (!this.recovering || !this.current) return;
    if (++this.reloads > MAX_RELOADS) {
      this.recovering = false;
      this.wantPlay = false;
      this.emit('error'); // the server answers, yet this song will not play
      this.emit('state');
      return;
    }
    const a = this.audio;
    const at = this.position;
    if (this.pendingResume) a.removeEventListener('loadedmetadata', this.pendingResume);
    const resume = () => {
      a.removeEventListener('loadedmetadata', resume);
      this.pendingResume = null;
      this.recovering = false;
      this.lastProgress = Date.now();
      this.seek(at);
      if (this.wantPlay) this.play(); else this.emit('state');
    };
    this.pendingResume = resume;
    this.lastProgress = Date.now();
    a.addEventListener('loadedmetadata', resume);
    a.src = streamUrl(this.current.id);
    a.load();
  }

  // Retry after the reconnector gave up (the listener's Retry or Play): a fresh minute of attempts,
  // then the same song from the same place.
  retry() {
    if (this.current) {
      this.recovering = true;
      this.reloads = 0;
      this.emit('state');
    }
    this.connection.retry();
  }

  // ---- queue operations ----
  playList(songs, start = 0) { this.replaceQueue(songs, start, true); }

  playSong(song) { this.playList([song], 0); }

  // A queue kept from before a reload or an ended session (playstate.js): the track is shown,
  // paused at `position`, and Play goes on from there.
  restore(songs, index, position) {
    if (!this.replaceQueue(songs, index, false) || !(position > 0)) return;
    this.startAt = position;
    this.position = position;
    this.emit('time');
  }

  // The queue becomes `songs`, at `start`; false when there is nothing to play.
  replaceQueue(songs, start, autoplay) {
    if (!songs || !songs.length) return false;
    this.queue = songs.slice();
    this.history = [];
    this.index = Math.max(0, Math.min(start, this.queue.length - 1));
    this.refillBag();
    this.load(autoplay);
    this.emit('queue');
    return true;
  }

  // The element can seek once it knows the duration.
  applyStartAt() {
    if (this.startAt == null) return;
    const t = this.startAt;
    this.startAt = null;
    this.seek(t);
  }

  enqueue(songs) {
    const list = Array.isArray(songs) ? songs : [songs];
    if (!list.length) return;
    const start = this.queue.length;
    this.queue.push(...list);
    for (let i = start; i < this.queue.length; i++) this.bag.push(i);
    if (this.index < 0) {
      this.index = start;
      this.bag = this.bag.filter((i) => i !== start);
      this.load(false);
    }
    this.emit('queue');
  }

  playNext(song) {
    if (this.index < 0) { this.enqueue([song]); return; }
    const at = this.index + 1;
    this.queue.splice(at, 0, song);
    const shift = (i) => (i >= at ? i + 1 : i);
    this.history = this.history.map(shift);
    this.bag = this.bag.map(shift);
    this.bag.push(at);
    this.pick = null;
    this.emit('queue');
  }

  jump(i) {
    if (i < 0 || i >= this.queue.length) return;
    if (this.index >= 0 && i !== this.index) this.history.push(this.index);
    this.index = i;
    this.bag = this.bag.filter((x) => x !== i);
    this.load(true);
    this.emit('queue');
  }

  remove(i) {
    if (i < 0 || i >= this.queue.length) return;
    const wasCurrent = i === this.index;
    const wasPlaying = this.playing;
    this.queue.splice(i, 1);
    const fix = (x) => (x > i ? x - 1 : x);
    this.history = this.history.filter((x) => x !== i).map(fix);
    this.bag = this.bag.filter((x) => x !== i).map(fix);
    if (i < this.index) this.index--;
    this.pick = null;
    if (wasCurrent) {
      if (!this.queue.length) { this.stop(); }
      else {
        if (this.index >= this.queue.length) this.index = 0;
        this.bag = this.bag.filter((x) => x !== this.index);
        this.load(wasPlaying);
      }
    }
    this.emit('queue');
  }

  // The song at `from` goes to `to`; the one that plays stays current and plays on.
  move(from, to) {
    const n = this.queue.length;
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < 0 || from >= n || to >= n || from === to) return false;
    const [song] = this.queue.splice(from, 1);
    this.queue.splice(to, 0, song);
    const moved = (i) => {
      if (i === from) return to;
      if (from < to && i > from && i <= to) return i - 1;
      if (to < from && i >= to && i < from) return i + 1;
      return i;
    };
    if (this.index >= 0) this.index = moved(this.index);
    this.history = this.history.map(moved);
    this.bag = this.bag.map(moved);
    this.pick = null;
    this.emit('queue');
    return true;
  }

  // Remove everything except the song that is playing.
  clear() {
    const cur = this.current;
    if (!cur) { this.stop(); this.emit('queue'); return; }
    this.queue = [cur];
    this.index = 0;
    this.history = [];
    this.bag = [];
    this.pick = null;
    this.emit('queue');
  }

  // A new song or a stop supersedes any resume in progress.
  endRecovery() {
    if (this.pendingResume) this.audio.removeEventListener('loadedmetadata', this.pendingResume);
    this.pendingResume = null;
    this.recovering = false;
    this.reloads = 0;
    if (this.connection.state !== 'online') this.connection.cancel();
  }

  stop() {
    this.wantPlay = false;
    this.endRecovery();
    this.startAt = null;
    this.audio.pause();
    this.audio.removeAttribute('src');
    this.audio.load();
    this.gapless.reset();
    this.queue = [];
    this.index = -1;
    this.history = [];
    this.bag = [];
    this.emit('track');
    this.emit('queue');
    this.emit('state');
    this.emit('time');
  }

  refillBag() {
    this.bag = [];
    for (let i = 0; i < this.queue.length; i++) if (i !== this.index) this.bag.push(i);
  }

  load(autoplay) {
    const song = this.current;
    if (!song) return;
    this.began();
    this.audio.src = streamUrl(song.id);
    if (autoplay) this.play();
    this.emit('track');
    this.emit('time');
    this.updateMetadata(song);
  }

  // A new track is current (loaded here or handed over by the spare).
  began() {
    this.endRecovery();
    this.gapless.cancel();
    this.startAt = null;
    this.position = 0;
    this.pick = null;
    this.setWaiting(false);
    this.lastProgress = Date.now();
  }

  // The index an automatic advance goes to, or -1 (end of the queue, repeat one, or a wrap in
  // shuffle). In shuffle the draw is made now and kept (next() takes it) so the spare loads the
  // track that will really play.
  upcoming() {
    if (this.repeat === 'one' || this.index < 0) return -1;
    if (this.shuffle) {
      if (this.pick == null || !this.bag.includes(this.pick)) this.pick = this.bag.length ? this.bag[Math.floor(Math.random() * this.bag.length)] : null;
      return this.pick ?? -1;
    }
    if (this.index + 1 < this.queue.length) return this.index + 1;
    return this.repeat === 'all' ? 0 : -1;
  }

  // The spare element holds queue[i], ready: it plays from now on and the old one plays out its
  // last milliseconds (gapless.js).
  handOver(i) {
    const old = this.audio;
    this.history.push(this.index);
    this.index = i;
    this.bag = this.bag.filter((x) => x !== i);
    this.audio = this.spare;
    this.spare = old;
    swapIdentity(this.audio, old);
    this.gapless.swapped();
    this.began();
    this.play();
    this.emit('track');
    this.emit('time');
    this.emit('queue');
    this.updateMetadata(this.current);
  }

  // ---- transport ----
  play() {
    if (!this.current) {
      if (this.queue.length) { this.index = 0; this.load(true); }
      return;
    }
    this.wantPlay = true;
    this.lastProgress = Date.now();
    if (this.connection.state === 'failed' || (this.audio.error && !this.recovering)) {
      // The server was lost: Play reloads the same song at the same place.
      this.retry();
      return;
    }
    if (this.recovering) { this.emit('state'); return; } // plays when the reload is ready
    const p = this.audio.play();
    if (p && p.catch) p.catch((e) => {
      if (e && e.name === 'NotAllowedError') this.wantPlay = false; // autoplay refused: wait for a click
      if (e && e.name !== 'AbortError') this.emit('state');
    });
  }

  pause() { this.wantPlay = false; this.audio.pause(); this.emit('state'); }

  // What the Play/Pause button shows: a reload in progress still counts as playing.
  get active() {
    if (!this.current || this.connection.state === 'failed') return false;
    return this.recovering ? this.wantPlay : !this.audio.paused;
  }

  toggle() { if (this.active) this.pause(); else this.play(); }

  next(auto = false) {
    if (!this.queue.length) return;
    if (auto && this.repeat === 'one') { this.seek(0); this.play(); return; }
    let nextIndex;
    if (this.shuffle) {
      if (!this.bag.length) {
        if (this.repeat === 'off' && auto) { this.ended(); return; }
        this.refillBag();
        if (!this.bag.length) { this.seek(0); if (auto && this.repeat === 'off') this.ended(); else this.play(); return; }
      }
      const drawn = this.bag.indexOf(this.pick);
      const k = drawn >= 0 ? drawn : Math.floor(Math.random() * this.bag.length);
      nextIndex = this.bag.splice(k, 1)[0];
    } else {
      nextIndex = this.index + 1;
      if (nextIndex >= this.queue.length) {
        if (this.repeat === 'off' && auto) { this.ended(); return; }
        nextIndex = 0;
      }
    }
    if (this.index >= 0) this.history.push(this.index);
    this.index = nextIndex;
    this.load(true);
    this.emit('queue');
  }

  ended() {
    // End of the queue with repeat off: rewind to the first track, paused.
    this.wantPlay = false;
    this.emit('state');
  }

  prev() {
    if (!this.queue.length) return;
    if (this.audio.currentTime > 3) { this.seek(0); return; }
    let prevIndex;
    if (this.shuffle && this.history.length) {
      prevIndex = this.history.pop();
      this.bag.push(this.index);
    } else {
      prevIndex = this.index - 1;
      if (prevIndex < 0) {
        if (this.repeat === 'all') prevIndex = this.queue.length - 1;
        else { this.seek(0); return; }
      }
    }
    this.index = prevIndex;
    this.load(true);
    this.emit('queue');
  }

  // The switch was not made ahead of the end (a throttled timer, a spare still loading): the spare
  // still saves the loading time if it is ready.
  onEnded() {
    const i = this.upcoming();
    if (i >= 0 && this.gapless.holds(this.queue[i])) this.handOver(i); else this.next(true);
  }

  seek(t) {
    const d = this.audio.duration;
    if (!Number.isFinite(t)) return;
    t = Math.max(0, Number.isFinite(d) ? Math.min(t, Math.max(0, d - 0.05)) : t);
    // Where to resume if the stream fails now; while recovering the element cannot seek.
    this.position = t;
    if (this.startAt != null) this.startAt = t; // a restored track still loading: seek there once it can
    this.gapless.cancel(); // a hand-over timed for the old position
    if (this.recovering) { this.emit('time'); return; }
    try { this.audio.currentTime = t; } catch { /* not seekable yet */ }
    this.emit('time');
  }

  seekBy(dt) { this.seek(this.time + dt); }

  setVolume(v) {
    v = Math.min(1, Math.max(0, v));
    for (const el of [this.audio, this.spare]) {
      el.volume = v;
      if (v > 0 && el.muted) el.muted = false;
    }
  }

  volumeBy(dv) { this.setVolume(Math.round((this.audio.volume + dv) * 100) / 100); }

  toggleMute() {
    const muted = !this.audio.muted;
    this.spare.muted = muted;
    this.audio.muted = muted;
  }

  toggleShuffle() {
    this.shuffle = !this.shuffle;
    localStorage.setItem('dspot.shuffle', this.shuffle ? '1' : '0');
    if (this.shuffle) this.refillBag();
    this.emit('mode');
  }

  cycleRepeat() {
    this.repeat = REPEAT_MODES[(REPEAT_MODES.indexOf(this.repeat) + 1) % REPEAT_MODES.length];
    this.gapless.cancel();
    localStorage.setItem('dspot.repeat', this.repeat);
    this.emit('mode');
  }

  // ---- Media Session ----
  setupMediaSession() {
    if (!('mediaSession' in navigator)) return;
    const ms = navigator.mediaSession;
    const set = (action, fn) => { try { ms.setActionHandler(action, fn); } catch { /* unsupported */ } };
    set('play', () => this.play());
    set('pause', () => this.pause());
    set('previoustrack', () => this.prev());
    set('nexttrack', () => this.next());
    set('seekto', (d) => { if (d && Number.isFinite(d.seekTime)) this.seek(d.seekTime); });
    set('seekbackward', (d) => this.seekBy(-((d && d.seekOffset) || 10)));
    set('seekforward', (d) => this.seekBy((d && d.seekOffset) || 10));
    this.addEventListener('state', () => {
      try { ms.playbackState = this.current ? (this.audio.paused ? 'paused' : 'playing') : 'none'; } catch { /* ignore */ }
    });
  }

  updateMetadata(song) {
    if (!('mediaSession' in navigator) || typeof MediaMetadata === 'undefined') return;
    const base = { title: song.title || 'Unknown title', artist: song.artist || '', album: song.album || '' };
    try { navigator.mediaSession.metadata = new MediaMetadata({ ...base, artwork: [] }); } catch { /* ignore */ }
    albumMeta(song.albumId).then((album) => {
      if (this.current !== song || !album || !album.hasCover) return;
      const src = new URL(coverUrl(song.albumId), location.href).href;
      try {
        navigator.mediaSession.metadata = new MediaMetadata({ ...base, artwork: [{ src, sizes: '512x512' }] });
      } catch { /* ignore */ }
    });
  }

  updatePosition() {
    if (!('mediaSession' in navigator) || !navigator.mediaSession.setPositionState) return;
    const d = this.audio.duration;
    if (!Number.isFinite(d) || d <= 0) return;
    try {
      navigator.mediaSession.setPositionState({
        duration: d,
        playbackRate: this.audio.playbackRate || 1,
        position: Math.min(d, Math.max(0, this.audio.currentTime || 0)),
      });
    } catch { /* ignore */ }
  }
}

// The element that plays is always #audio (tests and tools look it up by id).
function swapIdentity(playing, spare) {
  for (const attr of ['id', 'data-testid']) {
    const a = spare.getAttribute(attr);
    spare.setAttribute(attr, playing.getAttribute(attr));
    playing.setAttribute(attr, a);
  }
}
