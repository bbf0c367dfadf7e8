// The player's Reconnector (webroot/app/reconnect.js) in Node, with its timings scaled down:
// the back-off grows as configured, it gives up after the limit (also while a probe hangs) and
// only retry() starts it again, a probe that does not answer is abandoned, an ended session is
// reported, check() only retries when the probe fails, cancel() stops it.
// Run by WebPlayerBrowserTest; exit code 0 when every case passed.
import { Reconnector, BACKOFF_MS, GIVE_UP_MS, PROBE_TIMEOUT_MS } from '../webroot/app/reconnect.js';
import { assert, check, finish, sleep } from './cases.mjs';

function until(target, state) {
  return new Promise((resolve) => target.addEventListener(state, () => resolve(Date.now()), { once: true }));
}

await check('the production schedule: 250 ms doubling to 2 s, giving up after 60 s, a probe abandoned after 5 s', () => {
  assert(JSON.stringify(BACKOFF_MS) === '[250,500,1000,2000]', `back-off is ${JSON.stringify(BACKOFF_MS)}`);
  assert(GIVE_UP_MS === 60000, `gives up after ${GIVE_UP_MS} ms`);
  assert(PROBE_TIMEOUT_MS === 5000, `abandons a probe after ${PROBE_TIMEOUT_MS} ms`);
});

await check('the back-off doubles, then stays at its last step', async () => {
  const calls = [];
  let fourth;
  const four = new Promise((r) => { fourth = r; });
  const r = new Reconnector(async () => { if (calls.push(Date.now()) === 4) fourth(); return 'unreachable'; }, { backoffMs: [20, 40, 80], giveUpMs: 10000 });
  const t0 = Date.now();
  r.start();
  await Promise.race([four, sleep(5000)]);
  r.cancel();
  const gaps = calls.map((t, i) => t - (i ? calls[i - 1] : t0));
  assert(calls.length === 4, `${calls.length} probes, gaps ${gaps}`);
  [20, 40, 80, 80].forEach((want, i) => assert(gaps[i] >= want - 2, `gap ${i} was ${gaps[i]} ms, below ${want}`));
  return `gaps ${gaps.join(', ')} ms`;
});

await check('a second start() while retrying changes nothing', async () => {
  let probes = 0;
  const r = new Reconnector(async () => { probes++; return 'unreachable'; }, { backoffMs: [30], giveUpMs: 10000 });
  let events = 0;
  r.addEventListener('reconnecting', () => events++);
  r.start(); r.start(); r.start();
  await sleep(45);
  r.cancel();
  assert(events === 1 && probes === 1, `${events} 'reconnecting' events, ${probes} probes`);
});

await check('it gives up after the limit, and retry() succeeds once the server answers', async () => {
  let up = false;
  const r = new Reconnector(async () => (up ? 'ok' : 'unreachable'), { backoffMs: [10], giveUpMs: 100 });
  const t0 = Date.now();
  r.start();
  const gaveUp = await until(r, 'failed');
  assert(r.state === 'failed' && gaveUp - t0 >= 100, `state ${r.state} after ${gaveUp - t0} ms`);
  up = true;
  r.retry();
  assert(r.state === 'reconnecting', `state ${r.state} after retry()`);
  await until(r, 'online');
  return `gave up after ${gaveUp - t0} ms`;
});

await check('after giving up, start() (a background call or a starving stream) changes nothing', async () => {
  let probes = 0;
  const r = new Reconnector(async () => { probes++; return 'unreachable'; }, { backoffMs: [10], giveUpMs: 60 });
  r.start();
  await until(r, 'failed');
  const at = probes;
  let events = 0;
  r.addEventListener('reconnecting', () => events++);
  r.start(); r.start();
  await r.check();
  await sleep(40);
  assert(r.state === 'failed' && events === 0 && probes === at, `state ${r.state}, ${events} 'reconnecting' events, ${probes - at} probes after giving up`);
});

await check('it gives up on time while a probe hangs (a server that accepts and never answers)', async () => {
  const r = new Reconnector(() => new Promise(() => {}), { backoffMs: [10], giveUpMs: 150, probeTimeoutMs: 100000 });
  const t0 = Date.now();
  r.start();
  const gaveUp = await Promise.race([until(r, 'failed'), sleep(2000).then(() => null)]);
  assert(gaveUp, `still ${r.state} 2 s after start()`);
  assert(gaveUp - t0 >= 150 && gaveUp - t0 < 1000, `gave up after ${gaveUp - t0} ms, limit 150 ms`);
  return `gave up after ${gaveUp - t0} ms`;
});

await check('a probe that does not answer is abandoned (its signal aborted) and the next one runs', async () => {
  const signals = [];
  const r = new Reconnector((signal) => {
    signals.push(signal);
    if (signals.length < 3) return new Promise(() => {});
    return Promise.resolve('ok');
  }, { backoffMs: [10], giveUpMs: 5000, probeTimeoutMs: 50 });
  const t0 = Date.now();
  r.start();
  const online = await Promise.race([until(r, 'online'), sleep(2000).then(() => null)]);
  assert(online, `still ${r.state} after 2 s with ${signals.length} probes`);
  assert(signals.length === 3 && signals[0].aborted && signals[1].aborted && !signals[2].aborted,
    `${signals.length} probes, aborted: ${signals.map((x) => x.aborted)}`);
  return `online after ${online - t0} ms`;
});

await check('check() treats a probe that does not answer as unreachable', async () => {
  const r = new Reconnector(() => new Promise(() => {}), { backoffMs: [1000], giveUpMs: 10000, probeTimeoutMs: 30 });
  await Promise.race([r.check(), sleep(2000)]);
  assert(r.state === 'reconnecting', `state ${r.state} after a check whose probe hung`);
  r.cancel();
});

await check('a probe that throws counts as unreachable', async () => {
  let calls = 0;
  const r = new Reconnector(async () => { if (++calls < 3) throw new TypeError('fetch failed'); return 'ok'; }, { backoffMs: [5], giveUpMs: 1000 });
  r.start();
  await until(r, 'online');
  assert(calls === 3, `${calls} probes`);
});

await check('an ended session is reported as such, not as a failure', async () => {
  const r = new Reconnector(async () => 'ended', { backoffMs: [5], giveUpMs: 1000 });
  r.start();
  await until(r, 'ended');
  assert(r.state === 'ended', `state ${r.state}`);
});

await check('check() stays quiet while the server answers and starts retrying when it does not', async () => {
  let up = true;
  const r = new Reconnector(async () => (up ? 'ok' : 'unreachable'), { backoffMs: [1000], giveUpMs: 10000 });
  let events = 0;
  for (const s of ['reconnecting', 'online', 'failed', 'ended']) r.addEventListener(s, () => events++);
  await r.check();
  assert(r.state === 'online' && events === 0, `after a good check: state ${r.state}, ${events} events`);
  up = false;
  await r.check();
  assert(r.state === 'reconnecting', `after a failed check: state ${r.state}`);
  r.cancel();
  assert(r.state === 'online', `after cancel: state ${r.state}`);
});

await check('cancel() stops the probes, aborts the one under way and the deadline', async () => {
  let probes = 0;
  const r = new Reconnector(async () => { probes++; return 'unreachable'; }, { backoffMs: [10], giveUpMs: 100 });
  r.start();
  await sleep(35);
  r.cancel();
  const at = probes;
  let failedEvents = 0;
  r.addEventListener('failed', () => failedEvents++);
  await sleep(120);
  assert(probes === at && at > 0, `${at} probes before cancel, ${probes} after`);
  assert(r.state === 'online' && failedEvents === 0, `state ${r.state}, ${failedEvents} 'failed' events after cancel`);
  let signal;
  const hung = new Reconnector((sig) => { signal = sig; return new Promise(() => {}); }, { backoffMs: [5], giveUpMs: 10000 });
  hung.start();
  await sleep(30);
  hung.cancel();
  assert(signal && signal.aborted, 'the probe under way was not aborted by cancel()');
});

finish();
