// The web player across a failover of the floating IP (issue 9). Run by PlayerFailoverTest inside the
// lab's client namespace against the VIP: a listener plays a long song, the node holding the VIP is
// killed (the script asks the harness: "@@ KILL_LEADER"), and the song must play on, from where it
// was, within TARGET_MS. Prints a `measured: ...` line.
//
// Chromium buffers minutes of a song ahead, which would hide the failover (and the test could not
// fail), so LISTENER says how the listener gets past that buffer:
//   seeks    seeks past the buffer as the leader dies: the next second can only come through the VIP
//            from another node; the pause is the time from the kill until currentTime moves again
//            (a seek with every node up is timed first, to read it against)
//   listens  does nothing, at playbackRate 16, until currentTime is BEYOND_BUFFER_S past what
//            Chromium had buffered at the kill (more than what the dead node's socket could still
//            have sent, and a stream must be answered after the kill); the pause is the longest time
//            currentTime stood still after the kill
//
// env: BASE_URL (the VIP) ADMIN_USER ADMIN_PASSWORD SONG_TITLE (a song of many minutes, already
//      uploaded) LISTENER (seeks | listens) SCREENSHOT (the failure screenshot is <SCREENSHOT>.fail.png)
//      optional: TARGET_MS (10000), CHROMIUM, HEADFUL=1
import { assert, audioNow, env, harness, logIn, poll, runSteps, sleep, StepError, unbufferedSecond } from './steps.mjs';

const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const SONG_TITLE = env('SONG_TITLE');
const LISTENER = env('LISTENER');
const TARGET_MS = Number(env('TARGET_MS', '10000'));
const SAMPLE_MS = 50;
// The fastest Chromium plays (muted above 4x, and headless is muted anyway).
const FAST = 16;
// How far past what Chromium had buffered at the kill the listener must hear: 300 s of the 16 kB/s
// test song is 4.8 MB, more than a sending socket's buffer grows to (tcp_wmem's default maximum is
// 4 MB), so the rest can only come from another node (a stream answered after the kill is checked too).
const BEYOND_BUFFER_S = 300;
if (!['seeks', 'listens'].includes(LISTENER)) {
  console.error(`FAIL setup: LISTENER is "${LISTENER}", expected seeks or listens`);
  process.exit(1);
}

// Samples the player until done(audio) says so: the longest time currentTime stood still, how long
// the status said "Reconnecting…", the last sample. Fails at "Cannot reach the server" or timeoutMs.
async function watch(page, done, timeoutMs, what) {
  const status = page.getByTestId('connection-status');
  const watch = { stoodStill: 0, reconnecting: 0, a: null };
  let moved = Date.now();
  let lastT = -1;
  const end = Date.now() + timeoutMs;
  for (;;) {
    const [a, shown] = await Promise.all([audioNow(page), status.innerText({ timeout: 1000 }).catch(() => '(no status)')]);
    const now = Date.now();
    if (a.t !== lastT) { moved = now; lastT = a.t; }
    watch.stoodStill = Math.max(watch.stoodStill, now - moved);
    watch.a = a;
    if (/Reconnecting/.test(shown)) watch.reconnecting += SAMPLE_MS;
    if (done(a)) return watch;
    if (/Cannot reach/.test(shown) || now > end) {
      throw new StepError(`${what} within ${timeoutMs} ms: audio ${JSON.stringify(a)}, status ${JSON.stringify(shown)}, `
        + `stood still for up to ${watch.stoodStill} ms`);
    }
    await sleep(SAMPLE_MS);
  }
}

// Seeks with the player's slider, then watches until currentTime moves past that second (and is not
// at 0 of a reload): the time that took from `since`.
async function seekAndTime(page, to, timeoutMs, since = Date.now()) {
  await page.getByTestId('seek-slider').fill(String(to));
  const w = await watch(page, (a) => !a.paused && !a.seeking && a.t > to + 0.1 && a.t < to + 30, timeoutMs,
    `currentTime did not move past ${to} s`);
  return { ...w, ms: Date.now() - since };
}

async function seeksAsTheLeaderDies({ page, step, pass }) {
  step('a seek past the buffer with every node up');
  const before = await unbufferedSecond(page);
  assert(before > 0, `Chromium buffered the whole song: ${JSON.stringify(await audioNow(page))}`);
  const baseline = await seekAndTime(page, before, TARGET_MS);
  assert(baseline.reconnecting === 0, `"Reconnecting…" showed for ${baseline.reconnecting} ms with every node up`);
  pass(`plays on at ${before} s after ${baseline.ms} ms`);

  step(`the VIP holder is killed and the listener seeks past the buffer: the song plays on within ${TARGET_MS} ms`);
  const asked = Date.now();
  const killed = await harness('KILL_LEADER', 60000);
  const killedAt = Date.now();
  const to = await unbufferedSecond(page);
  assert(to > 0, `Chromium buffered the whole song: ${JSON.stringify(await audioNow(page))}`);
  const across = await seekAndTime(page, to, Math.max(TARGET_MS, 60000), killedAt);
  console.log(`measured: listener seeks: pause ${across.ms} ms from the kill to currentTime moving again (${across.ms + killedAt - asked} ms `
    + `from asking for the kill; the same seek with every node up: ${baseline.ms} ms); "Reconnecting…" shown for about ${across.reconnecting} ms`);
  assert(across.ms <= TARGET_MS, `the song was silent for ${across.ms} ms after the kill, more than ${TARGET_MS} ms`);
  assert(across.reconnecting <= TARGET_MS, `"Reconnecting…" showed for ${across.reconnecting} ms`);
  pass(`${killed}; playing again at ${across.a.t.toFixed(1)} s ${across.ms} ms after the kill, "Reconnecting…" for about ${across.reconnecting} ms`);
  return across.a.t;
}

async function listensThroughToTheEnd({ page, step, pass }) {
  step(`the VIP holder is killed while the song plays at ${FAST}x: it plays ${BEYOND_BUFFER_S} s past its buffer, never still for ${TARGET_MS} ms`);
  // defaultPlaybackRate too: the player's reload after a lost stream would reset the rate to it.
  await page.evaluate((rate) => { const a = document.getElementById('audio'); a.defaultPlaybackRate = rate; a.playbackRate = rate; }, FAST);
  const fast = await poll(async () => { const a = await audioNow(page); return a.t > 60 ? a : null; }, 15000);
  assert(fast, `the song does not play fast: ${JSON.stringify(await audioNow(page))}`);
  // Stream answers (status) that arrive after the kill: only a live node sends those.
  const answeredAfterKill = [];
  let killedAt = Infinity;
  page.on('response', (r) => { if (r.url().endsWith('/stream') && Date.now() > killedAt) answeredAfterKill.push(r.status()); });
  const killed = await harness('KILL_LEADER', 60000);
  killedAt = Date.now();
  const at = await audioNow(page);
  const until = at.bufferedEnd + BEYOND_BUFFER_S;
  assert(until < at.d - 1, `Chromium buffered to ${at.bufferedEnd.toFixed(0)} s of ${at.d.toFixed(0)} s: too little song is left to need another node`);
  // Real time the rest takes at FAST, plus the target, plus slack for a loaded machine.
  const rest = ((until - at.t) / FAST) * 1000;
  const w = await watch(page, (a) => a.t >= until, rest + TARGET_MS + 30000,
    `the song did not play on to ${until.toFixed(0)} s`);
  console.log(`measured: listener listens: currentTime stood still for at most ${w.stoodStill} ms after the kill `
    + `(at ${at.t.toFixed(0)} s, buffered to ${at.bufferedEnd.toFixed(0)} s of ${at.d.toFixed(0)} s); "Reconnecting…" shown for about ${w.reconnecting} ms`);
  assert(w.stoodStill <= TARGET_MS, `the song stood still for ${w.stoodStill} ms, more than ${TARGET_MS} ms`);
  assert(w.reconnecting <= TARGET_MS, `"Reconnecting…" showed for ${w.reconnecting} ms`);
  assert(answeredAfterKill.some((st) => st === 200 || st === 206), `no stream was answered after the kill (answers: ${JSON.stringify(answeredAfterKill)})`);
  pass(`${killed}; from ${at.t.toFixed(0)} s (buffered to ${at.bufferedEnd.toFixed(0)} s) on to ${w.a.t.toFixed(0)} s; still for at most ${w.stoodStill} ms; streams answered after the kill: ${answeredAfterKill.join(', ')}`);
  return null;
}

await runSteps(env('SCREENSHOT'), async (ctx) => {
  const { page, step, pass, pageErrors } = ctx;
  // Set-up, not what is measured: a login on a loaded machine may take long.
  step('log in through the form at the VIP');
  await logIn(page, BASE_URL, env('ADMIN_USER'), env('ADMIN_PASSWORD'), 60000);
  pass(BASE_URL);

  step(`play "${SONG_TITLE}": currentTime passes 3 s`);
  await page.getByTestId('search-input').fill(SONG_TITLE);
  const row = page.getByTestId('song-row').filter({ has: page.getByTestId('song-title').filter({ hasText: SONG_TITLE }) }).first();
  await row.waitFor({ state: 'visible', timeout: 10000 }).catch(() => { throw new StepError(`no song row "${SONG_TITLE}"`); });
  await row.hover();
  await row.getByTestId('song-play').click();
  const started = await poll(async () => { const a = await audioNow(page); return a.t > 3 && Number.isFinite(a.d) ? a : null; }, 20000);
  assert(started, `the song did not play: ${JSON.stringify(await audioNow(page))}`);
  assert(started.d > 600, `the song lasts only ${started.d} s: Chromium would buffer most of it`);
  pass(`at ${started.t.toFixed(1)} s of ${started.d.toFixed(0)} s, buffered to ${started.bufferedEnd.toFixed(0)} s`);

  const errorsBefore = pageErrors().length;
  const resumedAt = LISTENER === 'seeks' ? await seeksAsTheLeaderDies(ctx) : await listensThroughToTheEnd(ctx);

  step('the player is still logged in, on the same URL, with no status left');
  if (resumedAt !== null) {
    const later = await poll(async () => { const a = await audioNow(page); return a.t > resumedAt + 3 ? a : null; }, 6000);
    assert(later, `the song stopped again after ${resumedAt.toFixed(1)} s: ${JSON.stringify(await audioNow(page))}`);
    const shown = await page.getByTestId('play-button').getAttribute('data-state');
    assert(shown === 'playing', `the play button shows ${shown} while the song plays`);
  }
  const a = await audioNow(page);
  assert(a.src === started.src, `the player switched source: ${started.src} → ${a.src}`);
  const status = page.getByTestId('connection-status');
  await poll(async () => (await status.innerText()).trim() === '', 5000);
  const leftOver = (await status.innerText()).trim();
  assert(leftOver === '', `the status still says ${JSON.stringify(leftOver)}`);
  assert(await page.getByTestId('app-shell').isVisible(), 'the listener was sent to the login form');
  const newErrors = pageErrors().slice(errorsBefore);
  assert(!newErrors.length, `script errors across the failover: ${newErrors.join('; ')}`);
  pass(`at ${a.t.toFixed(1)} s`);
});
