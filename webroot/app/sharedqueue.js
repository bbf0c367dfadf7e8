// The play queue the listener's devices share (GET/PUT /api/playqueue, the Subsonic apps'
// getPlayQueue/savePlayQueue): this player saves its queue there a moment after it changes, and
// when it starts with nothing queued it offers to pick up a queue an app (a phone) left. The local
// copy (playstate.js) stays what a reload restores; this one is for going from phone to desk. A
// queue the web player itself saved is not offered: logging out forgets the queue on purpose.
import { h, fmtTime } from './dom.js';
import { dialog, toast, errorMessage, plural } from './ui.js';

const SAVE_AFTER_MS = 2000;
const CLIENT = 'web player';

// A plain fetch, not api.js's request(): a call in the background is not how this tab learns that
// its session ended or the server went away (the listener's next action is).
async function call(method, body) {
  const res = await fetch('/api/playqueue', {
    method, credentials: 'same-origin',
    headers: body ? { Accept: 'application/json', 'Content-Type': 'application/json' } : { Accept: 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw Object.assign(new Error((data && data.error) || `${res.status}`), { status: res.status });
  return data;
}

export class SharedQueue {
  constructor(player) {
    this.player = player;
    this.active = false; // saving only once a user is attached and any offer was answered
    this.timer = null;
    this.failed = false; // said once until a save works again
    player.addEventListener('queue', () => this.schedule());
    player.addEventListener('track', () => this.schedule());
    player.addEventListener('state', () => { if (!player.active) this.schedule(); });
  }

  schedule() {
    if (!this.active) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), SAVE_AFTER_MS);
  }

  // An emptied queue is not saved: it would wipe what another device may still want.
  async save() {
    const p = this.player;
    if (!this.active || !p.current) return;
    try {
      await call('PUT', { songIds: p.queue.map((s) => s.id), current: p.current.id, position: Math.round(p.time * 1000), changedBy: CLIENT });
      this.failed = false;
    } catch (e) {
      if (!this.failed && e.status && e.status !== 401) toast(`Cannot share the queue with your other devices: ${errorMessage(e)}`, 'error');
      this.failed = true;
    }
  }

  // Logged in: with nothing queued here, the saved queue (another device's) is offered.
  async attach() {
    this.active = false;
    try {
      if (!this.player.current) {
        const saved = await call('GET');
        if (saved.songs.length && saved.changedBy !== CLIENT && !this.player.current) await this.offer(saved);
      }
    } catch { /* the offer is a convenience: without it the player starts empty, as before */ }
    this.active = true;
  }

  detach() {
    this.active = false;
    clearTimeout(this.timer);
  }

  offer(saved) {
    const index = Math.max(0, saved.songs.findIndex((s) => s.id === saved.current));
    const song = saved.songs[index];
    return new Promise((resolve) => {
      const dlg = dialog({
        title: 'Pick up where you left off?',
        body: h('p', { class: 'dialog-text', 'data-testid': 'shared-queue-text' },
          `${plural(saved.songs.length, 'song')} queued in ${saved.changedBy}, at “${song.title}” ${fmtTime(saved.position / 1000)}.`),
        actions: (close) => [
          h('button', { class: 'btn btn-ghost', type: 'button', 'data-testid': 'shared-queue-dismiss', onclick: close }, 'Not now'),
          h('button', { class: 'btn btn-primary', type: 'button', 'data-testid': 'shared-queue-restore', onclick: () => {
            if (!this.player.current) this.player.restore(saved.songs, index, saved.position / 1000);
            close();
          } }, 'Restore queue'),
        ],
      });
      dlg.addEventListener('close', () => resolve());
    });
  }
}
