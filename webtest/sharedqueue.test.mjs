// The play queue a listener's devices share (issue 12): a browser with nothing queued offers the
// queue another device saved (GET /api/playqueue, what a Subsonic app's savePlayQueue wrote), puts
// it back in order at its song and position, paused; a change of the queue is saved for the other
// devices a moment later; a player that has a queue of its own is not asked, nor one whose queue
// the web player saved itself (logging out forgets the queue on purpose).
// Run by WebPlayerSharedQueueBrowserTest after it saved a queue as a phone would.
//
// env: BASE_URL ADMIN_USER ADMIN_PASSWORD FIRST_ID FIRST_TITLE SECOND_ID (the saved queue is
//      [SECOND, FIRST], current FIRST at POSITION seconds, changed by "phone") POSITION SCREENSHOT
//      optional: CHROMIUM, HEADFUL=1
import { assert, audioNow, env, logIn, poll, queueIds, runSteps, sleep } from './steps.mjs';

const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const FIRST_ID = env('FIRST_ID');
const FIRST_TITLE = env('FIRST_TITLE');
const SECOND_ID = env('SECOND_ID');
const POSITION = Number(env('POSITION'));
const SCREENSHOT = env('SCREENSHOT');

const savedQueue = (page) => page.evaluate(async () => (await fetch('/api/playqueue', { credentials: 'same-origin' })).json());

await runSteps(SCREENSHOT, async ({ page, step, pass }) => {
  step('log in with nothing queued here: the queue saved by the phone is offered');
  await logIn(page, BASE_URL, env('ADMIN_USER'), env('ADMIN_PASSWORD'));
  const restore = page.getByTestId('shared-queue-restore');
  await restore.waitFor({ state: 'visible', timeout: 10000 });
  const text = (await page.getByTestId('shared-queue-text').innerText()).trim();
  assert(text.includes('2 songs') && text.includes('phone') && text.includes(FIRST_TITLE), `the offer says "${text}"`);
  pass(text);

  step('restore: the queue in its order, at its song, paused at its position');
  await restore.click();
  await restore.waitFor({ state: 'hidden' });
  const at = await poll(async () => { const a = await audioNow(page); return a.rs >= 1 && Math.abs(a.t - POSITION) < 1.5 ? a : null; }, 10000);
  assert(at, `the player is at ${JSON.stringify(await audioNow(page))}, not about ${POSITION} s`);
  const title = (await page.getByTestId('now-title').innerText()).trim();
  assert(title.includes(FIRST_TITLE), `the player bar shows "${title}"`);
  await sleep(1000);
  assert((await audioNow(page)).paused, 'the restored queue plays by itself');
  const ids = await queueIds(page);
  assert(JSON.stringify(ids) === JSON.stringify([SECOND_ID, FIRST_ID]), `the queue is ${JSON.stringify(ids)}`);
  pass(`"${title}" paused at ${at.t.toFixed(1)} s, queue of ${ids.length}`);

  step('a change of the queue is saved for the other devices');
  await page.getByTestId('queue-button').click();
  await page.locator(`[data-testid="queue-item"][data-song-id="${SECOND_ID}"]`).first().click();
  await page.getByTestId('queue-button').click();
  const saved = await poll(async () => { const q = await savedQueue(page); return q.current === SECOND_ID && q.changedBy === 'web player' ? q : null; }, 10000);
  assert(saved, `the saved queue is ${JSON.stringify(await savedQueue(page))}`);
  pass(`saved: current ${saved.current}, ${saved.songs.length} songs, by ${saved.changedBy}`);

  step('reload: this player has its own queue, nothing is offered');
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.getByTestId('app-shell').waitFor({ state: 'visible' });
  await sleep(3000);
  assert(await restore.count() === 0, 'the shared queue was offered to a player that has one');
  pass('no offer');

  step('log out and in: the queue this player saved itself is not offered back');
  await page.getByTestId('logout').click();
  await logIn(page, BASE_URL, env('ADMIN_USER'), env('ADMIN_PASSWORD'));
  await sleep(3000);
  assert(await restore.count() === 0, 'the web player\'s own queue was offered after logging out');
  pass('no offer');
});
