// Reordering and the now-playing view as a listener meets them (issue 11): a playlist reordered by
// keyboard (Alt+Arrow, the row menu) and by drag keeps its new order after a reload; the queue
// reorders the same way and the track that plays stays current; adding a song a playlist already
// holds asks first (Skip adds nothing, Add anyway adds it again); on a phone the bar opens the
// now-playing view with shuffle, repeat, volume and mute; two songs play one after the other
// without a gap. Run by WebPlayerQueueBrowserTest on a node holding three songs of 5 s.
//
// env: BASE_URL ADMIN_USER ADMIN_PASSWORD TITLES (three song titles, comma-separated, each a few
//      seconds long) SCREENSHOT (the failure screenshot is <SCREENSHOT>.fail.png)
//      optional: CHROMIUM, HEADFUL=1, GAP_TARGET_MS (default 10)
import { assert, audioNow, env, logIn, poll, runSteps, sleep } from './steps.mjs';

const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const ADMIN_USER = env('ADMIN_USER');
const ADMIN_PASSWORD = env('ADMIN_PASSWORD');
const TITLES = env('TITLES').split(',');
const SCREENSHOT = env('SCREENSHOT');
const GAP_TARGET_MS = Number(process.env.GAP_TARGET_MS || 10);
const CLOCK_BOUND_MS = 120;

const call = (page, method, path, body) => page.evaluate(async ([m, p, b]) => {
  const r = await fetch(p, { method: m, headers: { 'Content-Type': 'application/json' }, body: b ? JSON.stringify(b) : undefined });
  return { status: r.status, json: await r.json().catch(() => null) };
}, [method, path, body]);
const rowIds = (page, testid) => page.getByTestId(testid).locator('[data-song-id]').evaluateAll((rs) => rs.map((r) => r.dataset.songId));
const focusedIndex = (page, selector) => page.evaluate((sel) => [...document.querySelectorAll(sel)].indexOf(document.activeElement), selector);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// Opens a song row's menu. The menu closes on any scroll, so the row is scrolled to first and the
// menu's items are then clicked where they are (menuItem), not scrolled to.
async function openMenu(page, row) {
  await row.scrollIntoViewIfNeeded();
  await sleep(300); // the scroll events fire on the next frames
  await row.hover();
  await row.getByTestId('song-more').click();
  await page.getByTestId('menu').waitFor({ state: 'visible' });
}
const menuItem = (page, testid, text) => {
  const item = page.getByTestId(testid);
  return (text ? item.filter({ hasText: text }) : item).dispatchEvent('click');
};

await runSteps(SCREENSHOT, async ({ page, step, pass, pageErrors }) => {
  step('log in; a playlist of the three songs');
  await logIn(page, BASE_URL, ADMIN_USER, ADMIN_PASSWORD);
  const songs = (await call(page, 'GET', '/api/songs?limit=50')).json.items;
  const ids = TITLES.map((t) => { const s = songs.find((x) => x.title.includes(t)); assert(s, `no song titled ${t}`); return s.id; });
  const [one, two, three] = ids;
  const name = `Reorder me ${Date.now() % 100000}`;
  const created = await call(page, 'POST', '/api/playlists', { name, songIds: ids });
  assert(created.status === 201, `creating the playlist answered ${created.status}`);
  const plId = created.json.id;
  pass(ids.join(', '));

  step('while the stream has no data yet the play button shows a spinner and says "Buffering…"');
  await page.route('**/api/songs/*/stream', async (route) => { await sleep(2500); await route.continue().catch(() => {}); /* a request the page dropped meanwhile */ });
  await page.getByTestId('nav-songs').click();
  const first = page.getByTestId('songs-list').locator(`.song-row[data-song-id="${one}"]`);
  await first.hover();
  await first.getByTestId('song-play').click();
  const spinning = await poll(async () => (await page.getByTestId('play-button').getAttribute('data-buffering')) === 'true', 2000, 50);
  const saying = (await page.getByTestId('buffering-status').textContent()).trim();
  assert(spinning && saying === 'Buffering…', `while the stream waits the button's data-buffering is ${await page.getByTestId('play-button').getAttribute('data-buffering')} and the status says "${saying}"`);
  const played = await poll(async () => { const a = await audioNow(page); return !a.paused && a.t > 0.2; }, 8000);
  assert(played, `the song does not play once the stream comes: ${JSON.stringify(await audioNow(page))}`);
  const after = [await page.getByTestId('play-button').getAttribute('data-buffering'), (await page.getByTestId('buffering-status').textContent()).trim()];
  assert(after[0] === 'false' && after[1] === '', `playing, the button still shows ${JSON.stringify(after)}`);
  await page.unroute('**/api/songs/*/stream');
  await page.getByTestId('play-button').click();
  pass();

  step('the playlist page shows the three songs in order');
  const savedOrder = async () => (await call(page, 'GET', `/api/playlists/${plId}`)).json.songs.map((s) => s.id);
  const openPlaylist = async () => {
    await page.goto(`${BASE_URL}/#/playlist/${plId}`, { waitUntil: 'domcontentloaded' });
    await page.reload({ waitUntil: 'domcontentloaded' }); // goto only changed the hash
    await page.getByTestId('playlist-songs').locator('.song-row').nth(2).waitFor();
  };
  await openPlaylist();
  assert(same(await rowIds(page, 'playlist-songs'), [one, two, three]), 'the playlist does not show its songs in order');
  pass(name);

  step('Alt+ArrowDown on a focused playlist row moves it down; focus follows and the move is announced');
  const plRows = page.getByTestId('playlist-songs').locator('.song-row');
  await plRows.nth(0).focus();
  await page.keyboard.press('Alt+ArrowDown');
  await poll(async () => same(await rowIds(page, 'playlist-songs'), [two, one, three]), 3000);
  assert(same(await rowIds(page, 'playlist-songs'), [two, one, three]), `after Alt+ArrowDown the rows are ${await rowIds(page, 'playlist-songs')}`);
  assert(await focusedIndex(page, '[data-testid="playlist-songs"] .song-row') === 1, 'focus did not follow the moved row');
  const said = await page.getByTestId('reorder-status').innerText();
  assert(/position 2 of 3/.test(said), `the live region says "${said}"`);
  pass(said);

  step('"Move up" in a row\'s menu moves it up; after a reload the playlist has the new order (saved on the server)');
  await openMenu(page, plRows.nth(2));
  await menuItem(page, 'menu-move-up');
  const want = [two, three, one];
  assert(await poll(async () => same(await savedOrder(), want), 5000), `the server has ${await savedOrder()}`);
  await openPlaylist();
  assert(same(await rowIds(page, 'playlist-songs'), want), `after the reload the rows are ${await rowIds(page, 'playlist-songs')}`);
  pass();

  step('a row dragged onto another takes its place; after a reload the order holds');
  await plRows.nth(0).dragTo(plRows.nth(2));
  const dragged = [three, one, two];
  assert(await poll(async () => same(await savedOrder(), dragged), 5000), `after the drag the server has ${await savedOrder()}, the page ${await rowIds(page, 'playlist-songs')}`);
  await openPlaylist();
  assert(same(await rowIds(page, 'playlist-songs'), dragged), `after the reload the rows are ${await rowIds(page, 'playlist-songs')}`);
  pass();

  step('the queue: Alt+ArrowDown moves the playing track down, it stays current and plays on; a dragged item takes the place of the one it is dropped on');
  await page.getByTestId('play-playlist').click();
  assert(await poll(async () => { const a = await audioNow(page); return !a.paused && a.t > 0.2; }, 5000), 'the playlist does not play');
  await page.getByTestId('queue-button').click();
  const qItems = page.getByTestId('queue-list').locator('.queue-item');
  await qItems.nth(2).waitFor();
  assert(same(await rowIds(page, 'queue-list'), dragged), `the queue is ${await rowIds(page, 'queue-list')}`);
  await qItems.nth(0).focus();
  await page.keyboard.press('Alt+ArrowDown');
  await poll(async () => same(await rowIds(page, 'queue-list'), [one, three, two]), 3000);
  assert(same(await rowIds(page, 'queue-list'), [one, three, two]), `the queue is ${await rowIds(page, 'queue-list')}`);
  assert(await focusedIndex(page, '[data-testid="queue-list"] .queue-item') === 1, 'focus did not follow the moved queue item');
  const current = await page.getByTestId('queue-list').locator('.queue-item.is-current').getAttribute('data-song-id');
  const audio = await audioNow(page);
  assert(current === three && audio.src.endsWith(`/api/songs/${three}/stream`) && !audio.paused, `the current track is ${current}, the audio ${JSON.stringify(audio)}`);
  await qItems.nth(2).dragTo(qItems.nth(0));
  await poll(async () => same(await rowIds(page, 'queue-list'), [two, one, three]), 3000);
  assert(same(await rowIds(page, 'queue-list'), [two, one, three]), `after the drag the queue is ${await rowIds(page, 'queue-list')}`);
  const still = await page.getByTestId('queue-list').locator('.queue-item.is-current').getAttribute('data-song-id');
  assert(still === three && (await audioNow(page)).src.endsWith(`/api/songs/${three}/stream`), `after the drag the current track is ${still}`);
  await page.getByTestId('queue-button').click();
  await page.getByTestId('play-button').click();
  pass();

  step('adding a song the playlist holds asks first: Skip adds nothing, Add anyway adds it again');
  await page.getByTestId('nav-songs').click();
  const row = page.getByTestId('songs-list').locator(`.song-row[data-song-id="${one}"]`); // not the playlist page's row
  await row.waitFor();
  const addVia = async (choice) => {
    await openMenu(page, row);
    await menuItem(page, 'menu-add-to-playlist', name);
    const dialog = page.getByTestId('already-dialog');
    await dialog.waitFor({ state: 'visible' });
    const text = await page.getByTestId('already-text').innerText();
    assert(text.includes(`already in ${name}`), `the dialog says "${text}"`);
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.dataset.testid);
    assert(focused === 'already-skip', `the dialog opened with the focus on ${focused}`);
    await page.getByTestId(choice).click();
    await dialog.waitFor({ state: 'detached' });
    const back = await page.evaluate(() => document.activeElement && document.activeElement.dataset.testid);
    assert(back === 'song-more', `after the dialog the focus is on ${back}, not the row's More options`);
  };
  await addVia('already-skip');
  await sleep(500);
  assert((await savedOrder()).length === 3, `after Skip the playlist holds ${(await savedOrder()).length} songs`);
  await addVia('already-add');
  assert(await poll(async () => (await savedOrder()).length === 4, 3000), `after Add anyway the playlist holds ${(await savedOrder()).length} songs`);
  pass('3 → 3 → 4');

  step('a playlist holding a song twice reorders too: Alt+ArrowUp on the second copy');
  await openPlaylist();
  const twice = [three, one, two, one];
  assert(same(await rowIds(page, 'playlist-songs'), twice), `the playlist shows ${await rowIds(page, 'playlist-songs')}`);
  await plRows.nth(3).focus();
  await page.keyboard.press('Alt+ArrowUp');
  const swapped = [three, one, one, two];
  assert(await poll(async () => same(await savedOrder(), swapped), 5000), `the server has ${await savedOrder()}`);
  assert(await focusedIndex(page, '[data-testid="playlist-songs"] .song-row') === 2, 'focus did not follow the moved copy');
  pass();

  step('a phone: the player bar is one compact row, and a tap on it opens now playing, with shuffle, repeat, volume, mute, star and rating');
  await page.setViewportSize({ width: 390, height: 844 });
  const bar = await page.getByTestId('player-bar').boundingBox();
  assert(bar.height <= 80, `the phone's player bar is ${bar.height} px high, not a compact bar`);
  await page.getByTestId('now-title').click();
  await page.getByTestId('now-playing').waitFor({ state: 'visible' });
  const hash = await page.evaluate(() => location.hash);
  assert(hash === '#/now-playing', `the tap opened ${hash}`);
  for (const id of ['np-shuffle', 'np-repeat', 'np-volume', 'np-mute', 'np-play', 'np-prev', 'np-next', 'np-seek']) {
    assert(await page.getByTestId(id).isVisible(), `${id} is not visible at 390×844`);
  }
  await page.getByTestId('np-shuffle').click();
  assert(await page.getByTestId('np-shuffle').getAttribute('aria-pressed') === 'true', 'shuffle is not on');
  await page.getByTestId('np-repeat').click();
  assert(await page.getByTestId('np-repeat').getAttribute('data-mode') === 'all', 'repeat is not on');
  await page.getByTestId('np-volume').fill('0.3');
  await page.getByTestId('np-mute').click();
  const state = await page.evaluate(() => { const a = document.getElementById('audio'); return { v: a.volume, muted: a.muted, shuffle: localStorage.getItem('dspot.shuffle'), repeat: localStorage.getItem('dspot.repeat') }; });
  assert(Math.abs(state.v - 0.3) < 0.01 && state.muted && state.shuffle === '1' && state.repeat === 'all', `the player has ${JSON.stringify(state)}`);
  assert(await page.getByTestId('np-queue').locator('.queue-item').count() === 3, 'the now-playing view does not show the queue');
  // The rows' star and rating are hidden at this width: here they are, and they work.
  const npRating = page.getByTestId('now-playing').getByTestId('now-rating');
  assert(await npRating.isVisible() && await page.getByTestId('now-playing').getByTestId('star-toggle').isVisible(), 'no star or rating in now playing at 390×844');
  const rated = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/api/ratings/'));
  await npRating.locator('[data-value="3"]').click();
  assert((await rated).status() === 204 || (await rated).status() === 200, `rating from now playing answered ${(await rated).status()}`);
  // Back to how the gapless step wants it.
  await page.getByTestId('np-shuffle').click();
  await page.getByTestId('np-repeat').click();
  await page.getByTestId('np-repeat').click();
  await page.getByTestId('np-mute').click();
  await page.setViewportSize({ width: 1280, height: 800 });
  pass(JSON.stringify(state));

  step('gapless: the next song starts as the last one ends');
  await page.evaluate(() => {
    window.__media = [];
    for (const type of ['playing', 'ended', 'timeupdate']) {
      document.addEventListener(type, (e) => {
        const a = e.target;
        window.__media.push({ type, at: performance.now(), t: a.currentTime, d: a.duration, src: a.currentSrc });
      }, true);
    }
  });
  await page.evaluate((id) => { location.hash = `#/playlist/${id}`; }, plId);
  await page.getByTestId('play-playlist').click();
  const log = await poll(async () => {
    const l = await page.evaluate(() => window.__media);
    return l && l.filter((e) => e.type === 'ended').length >= 2 ? l : null;
  }, 30000, 500);
  assert(log, `two songs did not end in 30 s: ${JSON.stringify((await page.evaluate(() => window.__media || [])).filter((e) => e.type !== 'timeupdate'))}`);
  const gaps = transitions(log);
  assert(gaps.length, `no change of track in ${JSON.stringify(log.filter((e) => e.type !== 'timeupdate'))}`);
  for (const g of gaps) console.log(`measured: gap ${g.eventGap.toFixed(1)} ms (ended → playing), ${g.clockGap.toFixed(1)} ms by the media clocks`);
  for (const g of gaps) {
    assert(g.eventGap < GAP_TARGET_MS, `from one song's ended to the next one's playing: ${g.eventGap.toFixed(1)} ms (target < ${GAP_TARGET_MS} ms)`);
    // Coarse on purpose: headless Chromium's clocks move in steps of about 32 ms, and a timer on a
    // loaded machine fires late (webtest/README.md). A hand-over missed altogether is seconds off.
    assert(Math.abs(g.clockGap) < CLOCK_BOUND_MS, `by the media clocks the next song started ${g.clockGap.toFixed(1)} ms after the last one ended`);
  }
  assert(!pageErrors().length, `script errors: ${pageErrors().join('; ')}`);
  pass(gaps.map((g) => `${g.eventGap.toFixed(1)} / ${g.clockGap.toFixed(1)} ms`).join(', '));
});

// Each change of track in the log of media events (captured on the document, so both <audio>
// elements count): eventGap from the old track's 'ended' to the new one's 'playing' (as issue 11
// measures it; negative when the new one started first), clockGap from where the old track's clock
// reached its end (its last timeupdate plus what was left) to where the new one's clock started
// (its first timeupdate with currentTime > 0, minus that time).
function transitions(log) {
  const out = [];
  const ended = log.filter((e) => e.type === 'ended');
  for (const end of ended) {
    const next = log.find((e) => e.type === 'playing' && e.src !== end.src && e.at > end.at - 1000);
    if (!next) continue;
    const lastTick = log.filter((e) => e.type === 'timeupdate' && e.src === end.src && e.t < e.d && e.at <= end.at).pop();
    const firstTick = log.find((e) => e.type === 'timeupdate' && e.src === next.src && e.at >= next.at && e.t > 0);
    if (!lastTick || !firstTick) continue;
    out.push({ eventGap: next.at - end.at, clockGap: (firstTick.at - firstTick.t * 1000) - (lastTick.at + (lastTick.d - lastTick.t) * 1000) });
  }
  return out;
}
