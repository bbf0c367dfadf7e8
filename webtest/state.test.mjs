// The web player's state as a listener meets it (issue 11): the queue, the track and its position
// survive a reload and an ended session (paused, Play goes on from there), and a bare address opens
// the last view; one tab plays at a time and a playlist made in one tab shows in the other; Space
// and Enter reach a focused control instead of the player. Run by WebPlayerStateBrowserTest on a node holding two songs of 40 s.
//
// env: BASE_URL ADMIN_USER ADMIN_PASSWORD FIRST_TITLE SECOND_TITLE (two songs of the library, at
//      least 40 s each) SCREENSHOT (the failure screenshot is <SCREENSHOT>.fail.png)
//      optional: CHROMIUM, HEADFUL=1
import { assert, audioNow, env, logIn, poll, queueIds, runSteps, sleep } from './steps.mjs';

const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const ADMIN_USER = env('ADMIN_USER');
const ADMIN_PASSWORD = env('ADMIN_PASSWORD');
const FIRST_TITLE = env('FIRST_TITLE');
const SECOND_TITLE = env('SECOND_TITLE');
const SCREENSHOT = env('SCREENSHOT');
// Where the listener seeks to before reloading.
const SEEK_TO = 20;

const row = (tab, title) => tab.getByTestId('song-row').filter({ has: tab.getByTestId('song-title').filter({ hasText: title }) }).first();
const nowTitle = async (tab) => (await tab.getByTestId('now-title').innerText()).trim();
const playState = (tab) => tab.getByTestId('play-button').getAttribute('data-state');
const newPlaylistButton = (tab) => tab.locator('.nav-section-head button[aria-label="New playlist"]');

// Playing, currentTime moving: the audio as last sampled, or null after timeoutMs.
async function playing(tab, timeoutMs = 5000) {
  const t0 = (await audioNow(tab)).t;
  return poll(async () => { const a = await audioNow(tab); return !a.paused && a.t > t0 + 0.3 ? a : null; }, timeoutMs);
}

async function paused(tab, timeoutMs = 5000) {
  return poll(async () => { const a = await audioNow(tab); return a.paused ? a : null; }, timeoutMs);
}

await runSteps(SCREENSHOT, async ({ page, context, watch, step, pass, pageErrors }) => {
  step('log in, play the first song from Songs and seek with the slider');
  await logIn(page, BASE_URL, ADMIN_USER, ADMIN_PASSWORD);
  await page.getByTestId('nav-songs').click();
  const first = row(page, FIRST_TITLE);
  const second = row(page, SECOND_TITLE);
  await first.waitFor({ state: 'visible' });
  await second.waitFor({ state: 'visible' });
  const firstId = await first.getAttribute('data-song-id');
  const secondId = await second.getAttribute('data-song-id');
  await first.hover();
  await first.getByTestId('song-play').click();
  assert(await playing(page), `the first song does not play: ${JSON.stringify(await audioNow(page))}`);
  await page.getByTestId('seek-slider').fill(String(SEEK_TO));
  const afterSeek = await poll(async () => { const a = await audioNow(page); return a.t > SEEK_TO + 0.5 && a.t < SEEK_TO + 5 ? a : null; }, 5000);
  assert(afterSeek, `after seeking to ${SEEK_TO} s the song is at ${JSON.stringify(await audioNow(page))}`);
  const queueBefore = await queueIds(page);
  assert(queueBefore.includes(firstId) && queueBefore.includes(secondId), `the queue holds ${JSON.stringify(queueBefore)}, not both songs`);
  pass(`queue ${queueBefore.length} songs, at ${afterSeek.t.toFixed(1)} s`);

  step('reload: the same view, the same track paused at the same position, the same queue');
  const beforeReload = await audioNow(page);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.getByTestId('app-shell').waitFor({ state: 'visible' });
  const shown = await poll(async () => ((await nowTitle(page)).includes(FIRST_TITLE) ? nowTitle(page) : null), 5000);
  assert(shown, `after the reload the player bar shows "${await nowTitle(page)}", not "${FIRST_TITLE}"`);
  const hash = await page.evaluate(() => location.hash);
  assert(hash === '#/songs', `the reload landed on ${hash}, not #/songs`);
  await first.waitFor({ state: 'visible' });
  const restored = await poll(async () => {
    const a = await audioNow(page);
    return a.rs >= 1 && a.t >= beforeReload.t - 0.5 && a.t < beforeReload.t + 2.5 ? a : null;
  }, 5000);
  assert(restored, `the position is ${JSON.stringify(await audioNow(page))}, not about ${beforeReload.t.toFixed(1)} s as before the reload`);
  const elapsed = (await page.getByTestId('time-elapsed').innerText()).trim();
  assert(elapsed === `0:${String(Math.floor(restored.t)).padStart(2, '0')}`, `the bar says ${elapsed} at ${restored.t.toFixed(1)} s`);
  await sleep(1500);
  const still = await audioNow(page);
  assert(still.paused && Math.abs(still.t - restored.t) < 0.1, `the restored song plays by itself: ${JSON.stringify(still)}`);
  assert(await playState(page) === 'paused', `the play button shows ${await playState(page)}`);
  const queueAfter = await queueIds(page);
  assert(JSON.stringify(queueAfter) === JSON.stringify(queueBefore), `the queue is ${JSON.stringify(queueAfter)}, was ${JSON.stringify(queueBefore)}`);
  pass(`${hash}, "${shown}" paused at ${restored.t.toFixed(1)} s (${elapsed}; ${beforeReload.t.toFixed(1)} s before), queue of ${queueAfter.length}`);

  step('Play goes on from there');
  await page.getByTestId('play-button').click();
  const resumed = await playing(page);
  assert(resumed && resumed.t < restored.t + 4, `Play did not resume near ${restored.t.toFixed(1)} s: ${JSON.stringify(await audioNow(page))}`);
  assert(resumed.src.endsWith(`/api/songs/${firstId}/stream`), `Play plays ${resumed.src}`);
  pass(`playing at ${resumed.t.toFixed(1)} s`);

  step('Space on the focused "New playlist" button opens its dialog and leaves the music playing; on the page it toggles playback; ArrowLeft on the focused volume slider turns it down, not the song back');
  await newPlaylistButton(page).focus();
  await page.keyboard.press('Space');
  const dialogOpen = await page.getByTestId('prompt-input').waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false);
  const afterSpace = await audioNow(page);
  assert(dialogOpen, `Space on the focused button did not open the dialog (audio ${afterSpace.paused ? 'paused' : 'playing'})`);
  assert(!afterSpace.paused, 'Space on the focused button paused the music');
  await page.keyboard.press('Escape');
  await page.getByTestId('prompt-input').waitFor({ state: 'detached' });
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('Space');
  assert(await paused(page, 3000), 'Space on the page did not pause');
  await page.keyboard.press('Space');
  assert(await playing(page), 'Space on the page did not play again');
  const volume = () => page.evaluate(() => document.getElementById('audio').volume);
  const [volumeBefore, beforeArrow] = [await volume(), await audioNow(page)];
  await page.getByTestId('volume-slider').focus();
  await page.keyboard.press('ArrowLeft');
  const [volumeAfter, afterArrow] = [await volume(), await audioNow(page)];
  assert(afterArrow.t >= beforeArrow.t, `ArrowLeft on the focused volume slider seeked from ${beforeArrow.t.toFixed(1)} s to ${afterArrow.t.toFixed(1)} s`);
  assert(volumeAfter < volumeBefore, `ArrowLeft on the focused volume slider left the volume at ${volumeAfter}`);
  pass(`volume ${volumeBefore} -> ${volumeAfter}`);

  step('Enter on a row\'s "Add to queue" adds it without playing it; on "More options" it opens the menu');
  const queued = await queueIds(page);
  await second.getByTestId('song-enqueue').focus();
  await page.keyboard.press('Enter');
  const grown = await poll(async () => { const ids = await queueIds(page); return ids.length === queued.length + 1 ? ids : null; }, 3000, 300);
  const nowAfterEnter = await nowTitle(page);
  assert(nowAfterEnter.includes(FIRST_TITLE), `Enter on "Add to queue" started "${nowAfterEnter}"`);
  assert(grown && grown[grown.length - 1] === secondId, `the queue is ${JSON.stringify(await queueIds(page))}, was ${JSON.stringify(queued)} (+ ${secondId} expected)`);
  await second.getByTestId('song-more').focus();
  await page.keyboard.press('Enter');
  const menuOpen = await page.getByTestId('menu').waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false);
  const nowAfterMore = await nowTitle(page);
  assert(nowAfterMore.includes(FIRST_TITLE), `Enter on "More options" started "${nowAfterMore}"`);
  assert(menuOpen, 'Enter on "More options" did not open the menu');
  await page.keyboard.press('Escape');
  await page.getByTestId('menu').waitFor({ state: 'detached' });
  assert(!(await audioNow(page)).paused, 'the music stopped');
  pass(`queue of ${grown.length}`);

  step('two tabs: playing in one pauses the other');
  const tab = watch(await context.newPage());
  await tab.goto(`${BASE_URL}/#/songs`, { waitUntil: 'domcontentloaded' });
  await tab.getByTestId('app-shell').waitFor({ state: 'visible' });
  await page.evaluate(() => { window.__sameDocument = true; });
  const tabFirst = row(tab, FIRST_TITLE);
  await tabFirst.hover();
  await tabFirst.getByTestId('song-play').click();
  assert(await playing(tab), `the second tab does not play: ${JSON.stringify(await audioNow(tab))}`);
  assert(await paused(page, 3000), 'the first tab plays on while the second plays');
  assert(await playState(page) === 'paused', `the first tab's play button shows ${await playState(page)}`);
  await page.getByTestId('play-button').click();
  assert(await playing(page), 'the first tab does not play again');
  assert(await paused(tab, 3000), 'the second tab plays on while the first plays');
  pass();

  step('a playlist made in one tab appears in the other\'s sidebar without a reload');
  const name = `From the other tab ${Date.now() % 100000}`;
  await newPlaylistButton(tab).click();
  await tab.getByTestId('prompt-input').fill(name);
  await tab.getByTestId('prompt-ok').click();
  await tab.getByTestId('sidebar-playlists').getByText(name).waitFor({ state: 'visible' });
  const appeared = await page.getByTestId('sidebar-playlists').getByText(name).waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
  assert(appeared, `"${name}" is not in the first tab's sidebar: ${JSON.stringify(await page.getByTestId('sidebar-playlists').innerText())}`);
  assert(await page.evaluate(() => window.__sameDocument === true), 'the first tab reloaded');
  await tab.close();
  pass(name);

  step('the session ends: after logging in again the queue and the track are still there, paused');
  const queueAtEnd = await queueIds(page);
  const atEnd = await audioNow(page);
  const status = await page.evaluate(() => fetch('/api/auth/logout', { method: 'POST' }).then((r) => r.status));
  assert(status === 204 || status === 200, `logging the session out answered ${status}`);
  await page.getByTestId('nav-albums').click(); // the next call finds the session gone
  await page.getByTestId('login-screen').waitFor({ state: 'visible' });
  await page.getByTestId('login-username').fill(ADMIN_USER);
  await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-shell').waitFor({ state: 'visible' });
  const back = await nowTitle(page);
  assert(back.includes(FIRST_TITLE), `after logging in again the player bar shows "${back}"`);
  const queueBack = await queueIds(page);
  assert(JSON.stringify(queueBack) === JSON.stringify(queueAtEnd), `the queue is ${JSON.stringify(queueBack)}, was ${JSON.stringify(queueAtEnd)}`);
  const again = await poll(async () => { const a = await audioNow(page); return a.rs >= 1 && a.t >= atEnd.t - 0.5 ? a : null; }, 5000);
  assert(again && again.paused && again.t < atEnd.t + 3, `after logging in again the audio is ${JSON.stringify(await audioNow(page))}, ${atEnd.t.toFixed(1)} s before`);
  const view = await page.evaluate(() => location.hash);
  assert(view === '#/albums', `after logging in again the view is ${view}`);
  pass(`"${back}" paused at ${again.t.toFixed(1)} s, queue of ${queueBack.length}, ${view}`);

  step('the player opened at its bare address shows the last view');
  await page.getByTestId('nav-songs').click();
  await first.waitFor({ state: 'visible' });
  await page.goto(`${BASE_URL}/`, { waitUntil: 'domcontentloaded' });
  await page.getByTestId('app-shell').waitFor({ state: 'visible' });
  const opened = await poll(async () => { const h = await page.evaluate(() => location.hash); return h === '#/songs' ? h : null; }, 3000);
  assert(opened, `the bare address opened ${await page.evaluate(() => location.hash) || 'no view'}, not #/songs`);
  await first.waitFor({ state: 'visible' });
  assert(!pageErrors().length, `script errors: ${pageErrors().join('; ')}`);
  pass(opened);
});
