// Browsing the whole library (issue 11): Play all and Shuffle all from Songs queue every song, not
// only the rows loaded so far; a column header sorts the songs (aria-sort, kept across a reload);
// Genres and Years list the library's genres and decades and open a view of their songs; a search
// for a year finds songs grouped with their albums and artist, whose page plays all its songs; an
// album's download is a zip; scrolling Songs pages by the server's cursor (issue 13). Run by
// WebPlayerBrowseBrowserTest on a node holding io.dspot.testkit.TaggedLibrary.
//
// env: BASE_URL ADMIN_USER ADMIN_PASSWORD SONG_COUNT (songs in the library, more than a page of 50)
//      GENRE GENRE_COUNT (a genre and how many songs have it) YEAR YEAR_COUNT YEAR_ALBUM (an album
//      with songs of that year) ARTIST_COUNT (songs of the one artist of that year) SCREENSHOT; optional: CHROMIUM, HEADFUL=1
import { assert, env, logIn, poll, queueIds, runSteps } from './steps.mjs';

const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const ADMIN_USER = env('ADMIN_USER');
const ADMIN_PASSWORD = env('ADMIN_PASSWORD');
const SONG_COUNT = Number(env('SONG_COUNT'));
const GENRE = env('GENRE');
const GENRE_COUNT = Number(env('GENRE_COUNT'));
const YEAR = env('YEAR');
const YEAR_COUNT = Number(env('YEAR_COUNT'));
const YEAR_ALBUM = env('YEAR_ALBUM');
const ARTIST_COUNT = Number(env('ARTIST_COUNT'));
const SCREENSHOT = env('SCREENSHOT');

// The queue once it holds `count` songs (Play all fetches them in batches), or what it last held.
async function queueOf(tab, count) {
  let last = [];
  await poll(async () => { last = await queueIds(tab); return last.length === count; }, 15000, 300);
  return last;
}

const api = (tab, path) => tab.evaluate(async (p) => (await fetch(p, { headers: { Accept: 'application/json' } })).json(), path);
const rowTitles = (tab, testid) => tab.getByTestId(testid).getByTestId('song-title').evaluateAll((els) => els.map((e) => e.textContent.trim()));
const sameSet = (a, b) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

await runSteps(SCREENSHOT, async ({ page, step, pass, pageErrors }) => {
  step('Play all from Songs queues every song of the library in the list\'s order');
  await logIn(page, BASE_URL, ADMIN_USER, ADMIN_PASSWORD);
  await page.getByTestId('nav-songs').click();
  await page.getByTestId('songs-list').getByTestId('song-row').first().waitFor({ state: 'visible' });
  const loadedRows = await page.getByTestId('songs-list').getByTestId('song-row').count();
  const all = (await api(page, '/api/songs/ids')).ids;
  assert(all.length === SONG_COUNT, `the server lists ${all.length} ids, the library holds ${SONG_COUNT}`);
  await page.getByTestId('play-all').click();
  const queued = await queueOf(page, SONG_COUNT);
  assert(queued.length === SONG_COUNT, `Play all queued ${queued.length} songs, not ${SONG_COUNT} (${loadedRows} rows were loaded)`);
  assert(queued.join() === all.join(), 'Play all queued the songs in another order than the list');
  pass(`${queued.length} songs queued, ${loadedRows} rows loaded`);

  step('Shuffle all queues the same songs in another order');
  await page.getByTestId('shuffle-all').click();
  let shuffled = [];
  await poll(async () => { shuffled = await queueOf(page, SONG_COUNT); return shuffled.join() !== queued.join(); }, 15000, 300);
  assert(shuffled.length === SONG_COUNT && sameSet(shuffled, all), `Shuffle all queued ${shuffled.length} songs, not the ${SONG_COUNT} of the library`);
  assert(shuffled.join() !== all.join(), 'Shuffle all kept the list\'s order');
  pass();

  step('the Title header sorts the songs, says so with aria-sort, and the order survives a reload');
  const titleHeader = page.getByTestId('songs-list').locator('[role="columnheader"]').filter({ has: page.getByTestId('sort-title') });
  const before = await rowTitles(page, 'songs-list');
  await page.getByTestId('sort-title').click();
  await poll(async () => (await titleHeader.getAttribute('aria-sort')) === 'ascending', 5000);
  assert((await titleHeader.getAttribute('aria-sort')) === 'ascending', `aria-sort is ${await titleHeader.getAttribute('aria-sort')} after sorting by title`);
  await page.getByTestId('songs-list').getByTestId('song-row').first().waitFor({ state: 'visible' });
  const ascending = await poll(async () => { const t = await rowTitles(page, 'songs-list'); return t.length >= 50 ? t : null; }, 5000);
  assert(ascending && ascending.slice(0, 50).join() === [...ascending.slice(0, 50)].sort().join(), `titles not in ascending order: ${ascending && ascending.slice(0, 5)}`);
  assert(ascending.slice(0, 10).join() !== before.slice(0, 10).join(), 'sorting by title did not change the order');
  await page.getByTestId('sort-title').focus();
  await page.keyboard.press('Enter');
  await poll(async () => (await page.getByTestId('songs-list').locator('[role="columnheader"]').filter({ has: page.getByTestId('sort-title') }).getAttribute('aria-sort')) === 'descending', 5000);
  await page.reload();
  await page.getByTestId('songs-list').getByTestId('song-row').first().waitFor({ state: 'visible' });
  const afterReload = page.getByTestId('songs-list').locator('[role="columnheader"]').filter({ has: page.getByTestId('sort-title') });
  assert((await afterReload.getAttribute('aria-sort')) === 'descending', `after Enter and a reload aria-sort is ${await afterReload.getAttribute('aria-sort')}, not descending`);
  const descending = await rowTitles(page, 'songs-list');
  const top = descending.slice(0, 20);
  assert(top.join() === [...top].sort().reverse().join() && top[0] !== ascending[0], `not descending after the reload: ${top.slice(0, 3)}`);
  pass(`${page.url().split('#')[1]}`);

  step(`Genres lists ${GENRE}, and its view shows its ${GENRE_COUNT} songs and plays them all`);
  await page.getByTestId('nav-genres').click();
  const card = page.getByTestId('genre-card').filter({ hasText: GENRE });
  await card.waitFor({ state: 'visible' });
  await card.click();
  await poll(async () => (await page.getByTestId('browse-title').innerText().catch(() => '')) === GENRE, 5000);
  const genreRows = await poll(async () => { const n = await page.getByTestId('browse-songs').getByTestId('song-row').count(); return n === GENRE_COUNT ? n : null; }, 5000);
  assert(genreRows === GENRE_COUNT, `the ${GENRE} view shows ${await page.getByTestId('browse-songs').getByTestId('song-row').count()} songs, not ${GENRE_COUNT}`);
  await page.getByTestId('play-all').click();
  const genreQueue = await queueOf(page, GENRE_COUNT);
  assert(genreQueue.length === GENRE_COUNT, `Play all of ${GENRE} queued ${genreQueue.length} songs`);
  pass();

  step(`Years lists the decades; ${YEAR} opens its ${YEAR_COUNT} songs`);
  await page.getByTestId('nav-years').click();
  await page.getByTestId('decade-link').first().waitFor({ state: 'visible' });
  await page.getByTestId('year-link').filter({ hasText: YEAR }).click();
  await poll(async () => (await page.getByTestId('browse-title').innerText().catch(() => '')) === YEAR, 5000);
  const yearRows = await poll(async () => { const n = await page.getByTestId('browse-songs').getByTestId('song-row').count(); return n === YEAR_COUNT ? n : null; }, 5000);
  assert(yearRows === YEAR_COUNT, `the ${YEAR} view shows another number of songs than ${YEAR_COUNT}`);
  const metas = await page.getByTestId('browse-songs').getByTestId('song-meta').evaluateAll((els) => els.map((e) => e.textContent));
  assert(metas.every((m) => m.includes(YEAR)), `a song row of ${YEAR} does not show its year: ${metas.slice(0, 3)}`);
  pass();

  step(`searching "${YEAR}" finds its songs, grouped with their album`);
  await page.getByTestId('search-input').fill(YEAR);
  const results = page.getByTestId('search-results').getByTestId('song-row');
  await poll(async () => (await results.count()) === YEAR_COUNT, 8000);
  assert((await results.count()) === YEAR_COUNT, `search "${YEAR}" shows ${await results.count()} songs, not ${YEAR_COUNT}`);
  const albumsGroup = page.getByTestId('search-albums');
  await albumsGroup.waitFor({ state: 'visible' });
  const albumTitles = await albumsGroup.getByTestId('album-card').allInnerTexts();
  assert(albumTitles.some((t) => t.includes(YEAR_ALBUM)), `the Albums group shows ${albumTitles.join(' | ')}, not ${YEAR_ALBUM}`);
  assert(await page.getByTestId('search-songs').isVisible(), 'no Songs group');
  pass();

  step(`the artist found by "${YEAR}" plays all ${ARTIST_COUNT} of its songs from its page`);
  await page.getByTestId('search-artists').getByTestId('artist-card').first().click();
  await page.getByTestId('play-artist').click();
  const artistQueue = await queueOf(page, ARTIST_COUNT);
  assert(artistQueue.length === ARTIST_COUNT, `the artist's Play queued ${artistQueue.length} songs, not ${ARTIST_COUNT}`);
  pass();

  step('an album\'s Download answers a zip, and a song\'s menu offers Download');
  await page.getByTestId('search-input').fill(YEAR);
  await albumsGroup.getByTestId('album-card').filter({ hasText: YEAR_ALBUM }).first().click();
  const link = page.getByTestId('album-download');
  await link.waitFor({ state: 'visible' });
  const href = await link.getAttribute('href');
  const zip = await page.evaluate(async (u) => {
    const r = await fetch(u);
    const bytes = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), magic: Array.from(bytes.slice(0, 4)), length: bytes.length };
  }, href);
  assert(zip.status === 200 && zip.type === 'application/zip', `album download answered ${zip.status} ${zip.type}`);
  assert(zip.magic.join() === '80,75,3,4', `not a zip: starts with ${zip.magic}`);
  assert(/^attachment;/.test(zip.disposition || ''), `no attachment disposition: ${zip.disposition}`);
  assert(/kbps/.test(await page.getByTestId('album-formats').innerText()), 'the album header shows no bitrate');
  const firstRow = page.getByTestId('album-songs').getByTestId('song-row').first();
  await firstRow.hover();
  await firstRow.getByTestId('song-more').click();
  await page.getByTestId('menu-download').waitFor({ state: 'visible' });
  await page.keyboard.press('Escape');
  assert(pageErrors().length === 0, `page errors: ${pageErrors().join('; ')}`);
  pass(`${zip.length} bytes`);

  step('scrolling Songs to the end loads every song once, the next page asked after the first page\'s cursor');
  const asked = [];
  const onRequest = (r) => { const u = new URL(r.url()); if (u.pathname === '/api/songs' && !u.searchParams.has('ids')) asked.push(u.search); };
  page.on('request', onRequest);
  await page.getByTestId('nav-songs').click();
  const rows = page.getByTestId('songs-list').getByTestId('song-row');
  await rows.first().waitFor({ state: 'visible' });
  const loaded = await poll(async () => {
    await rows.last().scrollIntoViewIfNeeded();
    const n = await rows.count();
    return n >= SONG_COUNT ? n : null;
  }, 15000, 300);
  page.off('request', onRequest);
  assert(loaded === SONG_COUNT, `${loaded} rows loaded, not ${SONG_COUNT}`);
  assert(asked.some((q) => /[?&]after=/.test(q)) && !asked.some((q) => /[?&]offset=[1-9]/.test(q)), `song pages asked: ${asked.join(' ')}`);
  pass(`${loaded} rows; ${asked.length} requests`);
});
