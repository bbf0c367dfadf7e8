// Retries the server after a stream or an API call failed, always against the
// same origin: in production that is the floating IP, which another node takes
// over within about a second, so "the same address again, soon" is the fix.
//
// States: 'online' → start() → 'reconnecting' → 'online' (the probe answered)
//                                             → 'ended'  (the session is gone)
//                                             → 'failed' (no answer for GIVE_UP_MS)
// Each change is dispatched as an event of that name.

// Short at first (a failover takes ~1 s), then a steady 2 s so a long outage costs little.
export const BACKOFF_MS = [250, 500, 1000, 2000];
export const GIVE_UP_MS = 60000;

export class Reconnector extends EventTarget {
  // probe() resolves 'ok' when the server answers, 'ended' when it says the
  // session is over, and anything else (or rejects) when it is still unreachable.
  // The timings are options only so that webtest/reconnect.test.mjs can run in milliseconds.
  constructor(probe, { backoffMs = BACKOFF_MS, giveUpMs = GIVE_UP_MS } = {}) {
    super();
    this.probe = probe;
    this.backoffMs = backoffMs;
    this.giveUpMs = giveUpMs;
    this.state = 'online';
    this.timer = null;
    this.since = 0;
    this.attempt = 0;
  }

  get reconnecting() { return this.state === 'reconnecting'; }

  // Begins retrying; a second failure while retrying changes nothing.
  start() {
    if (this.state === 'reconnecting') return;
    this.set('reconnecting');
    this.since = Date.now();
    this.attempt = 0;
    this.schedule();
  }

  // One probe without retrying: a stream that only buffers asks this before assuming the worst.
  async check() {
    if (this.state !== 'online') return;
    const outcome = await this.outcome();
    if (this.state !== 'online') return;
    if (outcome === 'ended') this.set('ended');
    else if (outcome !== 'ok') this.start();
  }

  async outcome() {
    try { return await this.probe(); } catch { return 'unreachable'; }
  }

  // Stops retrying without a verdict (the user picked another song, logged out…).
  cancel() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.state !== 'online') this.set('online');
  }

  schedule() {
    const delay = this.backoffMs[Math.min(this.attempt, this.backoffMs.length - 1)];
    this.attempt++;
    this.timer = setTimeout(() => this.tryOnce(), delay);
  }

  async tryOnce() {
    this.timer = null;
    if (this.state !== 'reconnecting') return;
    const outcome = await this.outcome();
    if (this.state !== 'reconnecting') return; // cancelled while the probe ran
    if (outcome === 'ok' || outcome === 'ended') { this.set(outcome === 'ok' ? 'online' : 'ended'); return; }
    if (Date.now() - this.since >= this.giveUpMs) { this.set('failed'); return; }
    this.schedule();
  }

  set(state) {
    this.state = state;
    this.dispatchEvent(new Event(state));
  }
}
