// Retries the server after a stream or an API call failed, always against the
// same origin: in production that is the floating IP, which another node takes
// over within about a second, so "the same address again, soon" is the fix.
//
// States: 'online' → start() → 'reconnecting' → 'online' (the probe answered)
//                                             → 'ended'  (the session is gone)
//                                             → 'failed' (no answer for GIVE_UP_MS)
//         'failed' → retry() → 'reconnecting' (only the listener's Retry or Play: start() leaves it failed)
// Each change is dispatched as an event of that name.
//
// Two things must not depend on the server answering at all, because a server that hangs
// (frozen, or an address whose holder hangs) makes requests hang rather than fail: each probe
// is abandoned after PROBE_TIMEOUT_MS, and giving up is a timer of its own, not a check made
// after a probe returns.

// Short at first (a failover takes ~1 s), then a steady 2 s so a long outage costs little.
export const BACKOFF_MS = [250, 500, 1000, 2000];
export const GIVE_UP_MS = 60000;
// /api/auth/me answers in milliseconds; one that takes this long is as good as no answer.
export const PROBE_TIMEOUT_MS = 5000;

export class Reconnector extends EventTarget {
  // probe(signal) resolves 'ok' when the server answers, 'ended' when it says the session is
  // over, and anything else (or rejects) when it is still unreachable; it should stop when the
  // AbortSignal fires (a probe that does not is abandoned all the same).
  // The timings are options only so that webtest/reconnect.test.mjs can run in milliseconds.
  constructor(probe, { backoffMs = BACKOFF_MS, giveUpMs = GIVE_UP_MS, probeTimeoutMs = PROBE_TIMEOUT_MS } = {}) {
    super();
    this.probe = probe;
    this.backoffMs = backoffMs;
    this.giveUpMs = giveUpMs;
    this.probeTimeoutMs = probeTimeoutMs;
    this.state = 'online';
    this.timer = null; // the next probe
    this.deadline = null; // giving up
    this.inFlight = null; // AbortController of the probe under way
    this.since = 0;
    this.attempt = 0;
  }

  get reconnecting() { return this.state === 'reconnecting'; }

  // Something found the server gone: begins retrying. A second failure while retrying changes
  // nothing, and neither does one after giving up (background calls and a starving stream would
  // otherwise hide "Cannot reach the server" behind a fresh minute of "Reconnecting…").
  start() {
    if (this.state === 'reconnecting' || this.state === 'failed') return;
    this.begin();
  }

  // The listener asked (Retry, Play): a fresh minute of attempts, also after giving up.
  retry() {
    if (this.state === 'reconnecting') return;
    this.begin();
  }

  begin() {
    this.since = Date.now();
    this.attempt = 0;
    this.deadline = setTimeout(() => this.giveUp(), this.giveUpMs);
    this.schedule();
    this.set('reconnecting');
  }

  // One probe without retrying: a stream that only buffers asks this before assuming the worst.
  async check() {
    if (this.state !== 'online') return;
    const outcome = await this.outcome();
    if (this.state !== 'online') return;
    if (outcome === 'ended') this.set('ended');
    else if (outcome !== 'ok') this.start();
  }

  // The probe's verdict, 'unreachable' when it fails or does not answer within probeTimeoutMs.
  async outcome() {
    const abort = new AbortController();
    this.inFlight = abort;
    let timer;
    const late = new Promise((resolve) => { timer = setTimeout(() => { abort.abort(); resolve('unreachable'); }, this.probeTimeoutMs); });
    try {
      return await Promise.race([this.probe(abort.signal), late]);
    } catch {
      return 'unreachable';
    } finally {
      clearTimeout(timer);
      if (this.inFlight === abort) this.inFlight = null;
    }
  }

  // Stops retrying without a verdict (the user picked another song, logged out…).
  cancel() {
    this.stopTimers();
    if (this.state !== 'online') this.set('online');
  }

  stopTimers() {
    clearTimeout(this.timer);
    clearTimeout(this.deadline);
    this.timer = null;
    this.deadline = null;
    if (this.inFlight) this.inFlight.abort();
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
    if (this.state !== 'reconnecting') return; // cancelled or given up while the probe ran
    if (outcome === 'ok' || outcome === 'ended') {
      this.stopTimers();
      this.set(outcome === 'ok' ? 'online' : 'ended');
      return;
    }
    this.schedule();
  }

  giveUp() {
    this.deadline = null;
    if (this.state !== 'reconnecting') return;
    this.stopTimers();
    this.set('failed');
  }

  set(state) {
    this.state = state;
    this.dispatchEvent(new Event(state));
  }
}
