// What survives a reload or an ended session, per user in localStorage: the play queue, the
// current track, where in it the listener was, and the view. Restored paused: Play goes on
// from there. Written when the queue or the track changes, on pause, every SAVE_EVERY_MS while
// playing and when the page goes away. Logging out forgets it (a shared computer); a session
// that ended keeps it for the next login in this browser.
import { toast, errorMessage } from './ui.js';

const SAVE_EVERY_MS = 5000;
// What the player bar, the queue panel and the Media Session show of a song.
const SONG_FIELDS = ['id', 'title', 'artist', 'artistId', 'album', 'albumId', 'track', 'disc', 'duration', 'demo'];

const keyFor = (userId, what) => `dspot.${what}.${userId}`;
const slim = (song) => Object.fromEntries(SONG_FIELDS.filter((k) => song[k] != null).map((k) => [k, song[k]]));

export class PlayState {
  constructor(player) {
    this.player = player;
    this.user = null; // the id of the user whose state this tab keeps; null while nobody is logged in
    this.lastPositionSave = 0;
    this.writeFailed = false; // said once until a write works again
    player.addEventListener('queue', () => this.saveQueue());
    player.addEventListener('track', () => { this.saveQueue(); this.savePosition(); });
    player.addEventListener('state', () => { if (!player.active) this.savePosition(); });
    player.addEventListener('time', () => { if (Date.now() - this.lastPositionSave >= SAVE_EVERY_MS) this.savePosition(); });
    window.addEventListener('pagehide', () => this.saveAll());
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') this.saveAll(); });
    window.addEventListener('hashchange', () => this.saveView());
  }

  key(what) { return keyFor(this.user, what); }

  // Logged in: the player gets this user's queue back (paused), and a bare URL the last view.
  attach(user) {
    this.user = null; // restoring must not write back what it reads
    const saved = this.read(keyFor(user.id, 'queue'), (v) => Array.isArray(v.queue) && v.queue.every((s) => s && typeof s.id === 'string') && Number.isInteger(v.index));
    const at = this.read(keyFor(user.id, 'position'), (v) => typeof v.songId === 'string' && Number.isFinite(v.t));
    const view = this.read(keyFor(user.id, 'view'), (v) => typeof v === 'string' && v.startsWith('#/'));
    if (saved && saved.queue.length && !this.player.current) {
      const song = saved.queue[saved.index];
      this.player.restore(saved.queue, saved.index, at && song && at.songId === song.id ? at.t : 0);
    }
    if (view && !location.hash) history.replaceState(null, '', view);
    this.user = user.id;
    this.saveAll();
  }

  // The session ended: what there is now waits for the next login.
  keep() {
    this.saveAll();
    this.user = null;
  }

  // Logged out on purpose.
  forget() {
    if (this.user) for (const what of ['queue', 'position', 'view']) localStorage.removeItem(this.key(what));
    this.user = null;
  }

  saveAll() { this.saveQueue(); this.savePosition(); this.saveView(); }

  saveQueue() {
    const p = this.player;
    if (!this.user) return;
    if (!p.current) { localStorage.removeItem(this.key('queue')); localStorage.removeItem(this.key('position')); return; }
    this.write('queue', { queue: p.queue.map(slim), index: p.index });
  }

  savePosition() {
    const p = this.player;
    if (!this.user || !p.current) return;
    this.lastPositionSave = Date.now();
    this.write('position', { songId: p.current.id, t: p.time });
  }

  saveView() {
    if (this.user && location.hash.startsWith('#/')) this.write('view', location.hash);
  }

  write(what, value) {
    try {
      localStorage.setItem(this.key(what), JSON.stringify(value));
      this.writeFailed = false;
    } catch (e) {
      if (!this.writeFailed) toast(`Cannot keep the queue for your next visit: ${errorMessage(e)}`, 'error');
      this.writeFailed = true;
    }
  }

  // The saved value if it is there and makes sense; a broken one is said and removed.
  read(key, valid) {
    const text = localStorage.getItem(key);
    if (text == null) return null;
    try {
      const value = JSON.parse(text);
      if (value != null && valid(value)) return value;
      throw new Error('unexpected content');
    } catch (e) {
      toast(`The saved queue could not be read (${errorMessage(e)}); starting afresh`, 'error');
      localStorage.removeItem(key);
      return null;
    }
  }
}
