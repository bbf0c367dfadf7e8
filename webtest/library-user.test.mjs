// A listener's own library in the web player (issue 11): Home is the first view, with the newest
// upload's album under Recently added; a song starred from its row shows in Favourites and is
// still starred after a reload; a rating of 4 given by keyboard is still 4 after a reload; a
// short song played to the end is scrobbled once, its album shows under Recently played and its
// play count is 1; the album's header star (by keyboard) and the artist's put both in Favourites;
// History lists the play; a star given in one tab shows in another.
// Run by WebPlayerUserLibraryBrowserTest.
//
// env: BASE_URL LISTENER_USER LISTENER_PASSWORD (a listener with no plays yet) ALBUM_ID (the album
//      of the newest upload) SHORT_TITLE (a song of a few seconds, of that album) STAR_TITLE (another
//      song) ARTIST_NAME (the album's artist) SCREENSHOT (the failure screenshot is <SCREENSHOT>.fail.png)
//      optional: CHROMIUM, HEADFUL=1
import { assert, audioNow, env, logIn, poll, runSteps } from './steps.mjs';

const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const LISTENER_USER = env('LISTENER_USER');
const LISTENER_PASSWORD = env('LISTENER_PASSWORD');
const ALBUM_ID = env('ALBUM_ID');
const SHORT_TITLE = env('SHORT_TITLE');
const STAR_TITLE = env('STAR_TITLE');
const ARTIST_NAME = env('ARTIST_NAME');
const SCREENSHOT = env('SCREENSHOT');

const row = (tab, title) => tab.getByTestId('song-row').filter({ has: tab.getByTestId('song-title').filter({ hasText: title }) }).first();
const albumCardIn = (tab, shelf) => tab.getByTestId(shelf).locator(`[data-testid="album-card"][data-album-id="${ALBUM_ID}"]`);
const checkedStars = (rating) => rating.locator('[role="radio"][aria-checked="true"]').getAttribute('aria-label').catch(() => null);

async function openSongs(page) {
  await page.getByTestId('nav-songs').click();
  await row(page, STAR_TITLE).waitFor({ state: 'visible' });
}

await runSteps(SCREENSHOT, async ({ page, context, watch, step, pass, pageErrors }) => {
  const plays = [];
  page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/plays') plays.push(r.postData()); });

  step('after logging in, Home is the first view and shows the new album under Recently added');
  await logIn(page, BASE_URL, LISTENER_USER, LISTENER_PASSWORD);
  const firstNav = await page.locator('nav[aria-label="Library"] a').first().getAttribute('data-testid');
  assert(firstNav === 'nav-home', `the first link of the sidebar is ${firstNav}`);
  await page.getByTestId('home-recently-added').waitFor({ state: 'visible' });
  await albumCardIn(page, 'home-recently-added').waitFor({ state: 'visible' });
  assert(await page.getByTestId('nav-home').evaluate((a) => a.classList.contains('active')), 'Home is not marked as the current view');
  const emptyPlayed = await page.getByTestId('home-recently-played').getByTestId('album-card').count();
  assert(emptyPlayed === 0, `a new listener has ${emptyPlayed} recently played albums`);
  pass(await page.getByTestId('home-recently-added').getByTestId('album-card').first().innerText().then((t) => t.replace(/\s+/g, ' ')));

  step('star a song from its row: the button says so, and the song is in Favourites');
  await openSongs(page);
  const star = row(page, STAR_TITLE).getByTestId('star-toggle');
  assert(await star.getAttribute('aria-pressed') === 'false', 'the song starts starred');
  assert(await star.getAttribute('aria-label') === 'Add to favourites', `the star is named "${await star.getAttribute('aria-label')}"`);
  const starred = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/api/favourites/songs/'));
  await row(page, STAR_TITLE).hover();
  await star.click();
  assert((await starred).status() === 200, `starring answered ${(await starred).status()}`);
  assert(await star.getAttribute('aria-pressed') === 'true', 'the star is not pressed after the click');
  assert(await star.getAttribute('aria-label') === 'Remove from favourites', `the pressed star is named "${await star.getAttribute('aria-label')}"`);
  await page.getByTestId('nav-favourites').click();
  await row(page, STAR_TITLE).waitFor({ state: 'visible' });
  pass();

  step('after a reload the song is still in Favourites and still starred on Songs');
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.getByTestId('favourite-songs').waitFor({ state: 'visible' });
  await row(page, STAR_TITLE).waitFor({ state: 'visible' });
  const inFavourites = await page.getByTestId('favourite-songs').getByTestId('song-title').allInnerTexts();
  assert(inFavourites.length === 1, `Favourites lists ${JSON.stringify(inFavourites)}`);
  await openSongs(page);
  assert(await row(page, STAR_TITLE).getByTestId('star-toggle').getAttribute('aria-pressed') === 'true', 'the song is not starred after the reload');
  assert(await row(page, SHORT_TITLE).getByTestId('star-toggle').getAttribute('aria-pressed') === 'false', 'another song is starred too');
  pass(inFavourites[0]);

  step('rate a song 4 by keyboard: Tab to the rating, ArrowRight four times');
  const rating = row(page, STAR_TITLE).getByTestId('rating');
  assert(await checkedStars(rating) === null, 'the song starts rated');
  await row(page, STAR_TITLE).getByTestId('song-title').click();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab'); // the album link of the row, then its rating
  let focused = await page.evaluate(() => document.activeElement.closest('[role="radiogroup"]') ? document.activeElement.getAttribute('aria-label') : null);
  if (!focused) { // whatever is in between: Tab on until the rating has the focus
    for (let i = 0; i < 4 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement.closest('[role="radiogroup"]') ? document.activeElement.getAttribute('aria-label') : null);
    }
  }
  assert(focused === '1 star', `Tab reached ${focused || await page.evaluate(() => document.activeElement.outerHTML.slice(0, 120))}, not the rating's first star`);
  const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/api/ratings/')
    && JSON.parse(r.request().postData() || '{}').rating === 4);
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  assert((await saved).status() === 200, `saving the rating answered ${(await saved).status()}`);
  assert(await checkedStars(rating) === '4 stars', `the rating shows ${await checkedStars(rating)}`);
  const playState = await page.getByTestId('play-button').getAttribute('data-state');
  assert(playState !== 'playing', 'the arrow keys started playback');
  pass();

  step('after a reload the song shows 4 stars');
  await page.reload({ waitUntil: 'domcontentloaded' });
  await row(page, STAR_TITLE).waitFor({ state: 'visible' });
  const afterReload = await poll(() => checkedStars(row(page, STAR_TITLE).getByTestId('rating')), 3000);
  assert(afterReload === '4 stars', `after the reload the rating shows ${afterReload}`);
  pass(afterReload);

  step('play a short song to the end: it is scrobbled once');
  const playCountBefore = (await row(page, SHORT_TITLE).getByTestId('play-count').innerText()).trim();
  assert(playCountBefore === '0', `the short song starts with play count ${playCountBefore}`);
  const shortId = await row(page, SHORT_TITLE).getAttribute('data-song-id');
  // The player goes on to the next song at the end: the end is caught as it happens.
  await page.evaluate(() => {
    window.__ends = [];
    const audio = document.getElementById('audio');
    audio.addEventListener('ended', () => window.__ends.push({ src: audio.currentSrc, t: audio.currentTime, d: audio.duration }));
  });
  const scrobbled = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/plays', { timeout: 20000 });
  await row(page, SHORT_TITLE).hover();
  await row(page, SHORT_TITLE).getByTestId('song-play').click();
  assert((await scrobbled).status() === 201, `the scrobble answered ${(await scrobbled).status()}`);
  const ended = await poll(() => page.evaluate(() => window.__ends[0]), 15000);
  assert(ended && ended.src.includes(shortId), `the song did not play to its end: ${JSON.stringify(ended || await audioNow(page))}`);
  // The next song of the list plays on: paused, so that it cannot count too while the test goes on.
  if (await page.getByTestId('play-button').getAttribute('data-state') === 'playing') await page.getByTestId('play-button').click();
  await page.waitForTimeout(500);
  assert(plays.length === 1 && plays[0].includes(shortId), `${plays.length} scrobbles were sent: ${JSON.stringify(plays)}`);
  pass(`${ended.d.toFixed(1)} s, ${plays[0]}`);

  step('Home shows the album under Recently played; Songs shows the play count 1');
  await page.getByTestId('nav-home').click();
  await albumCardIn(page, 'home-recently-played').waitFor({ state: 'visible' });
  const mostPlayed = await page.getByTestId('home-most-played').getByTestId('song-title').allInnerTexts();
  assert(mostPlayed.length === 1 && mostPlayed[0].includes(SHORT_TITLE), `Most played lists ${JSON.stringify(mostPlayed)}`);
  await openSongs(page);
  const count = (await row(page, SHORT_TITLE).getByTestId('play-count').innerText()).trim();
  assert(count === '1', `the short song's play count is ${count}`);
  pass(`play count ${count}`);

  step('star the album from its header by keyboard, and its artist from theirs: both are in Favourites');
  await page.getByTestId('nav-home').click();
  await albumCardIn(page, 'home-recently-played').click();
  await page.getByTestId('album-title').waitFor({ state: 'visible' });
  const albumStar = page.locator('.action-bar').getByTestId('star-toggle');
  assert(await albumStar.getAttribute('aria-label') === 'Add to favourites', `the album's star is named "${await albumStar.getAttribute('aria-label')}"`);
  await albumStar.focus();
  const albumSaved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/api/favourites/albums/'));
  await page.keyboard.press('Space');
  assert((await albumSaved).status() === 200, `starring the album answered ${(await albumSaved).status()}`);
  assert(await albumStar.getAttribute('aria-pressed') === 'true', 'Space on the album\'s star did not press it');
  assert(await page.getByTestId('play-button').getAttribute('data-state') !== 'playing', 'Space on the star started playback');
  await page.locator('.hero-meta a').first().click();
  await page.getByTestId('artist-name').waitFor({ state: 'visible' });
  const artistStar = page.locator('.action-bar').getByTestId('star-toggle');
  const artistSaved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/api/favourites/artists/'));
  await artistStar.click();
  assert((await artistSaved).status() === 200, `starring the artist answered ${(await artistSaved).status()}`);
  assert(await artistStar.getAttribute('aria-pressed') === 'true', 'the artist\'s star is not pressed after the click');
  await page.getByTestId('nav-favourites').click();
  await page.getByTestId('favourite-albums').locator(`[data-album-id="${ALBUM_ID}"]`).waitFor({ state: 'visible' });
  const artists = await page.getByTestId('favourite-artists').getByTestId('artist-card').allInnerTexts();
  assert(artists.length === 1 && artists[0].includes(ARTIST_NAME), `favourite artists: ${JSON.stringify(artists)}`);
  pass(artists[0].split('\n')[0]);

  step('History lists the play, newest first, with when it was played');
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-list').waitFor({ state: 'visible' });
  const history = page.getByTestId('history-list').getByTestId('song-row');
  await history.first().waitFor({ state: 'visible' });
  await page.waitForLoadState('networkidle');
  assert(await history.count() === 1, `History has ${await history.count()} rows after one play`);
  const first = history.first();
  assert((await first.getByTestId('song-title').innerText()).includes(SHORT_TITLE), `History's row is ${await first.innerText()}`);
  assert(/^Played /.test(await first.getAttribute('title') || ''), `the row does not say when: ${await first.getAttribute('title')}`);
  pass(await first.getAttribute('title'));

  step('a star given in one tab shows in another open tab without a reload');
  const other = watch(await context.newPage());
  await other.goto(BASE_URL + '/#/songs');
  await row(other, SHORT_TITLE).waitFor({ state: 'visible' });
  const otherStar = row(other, SHORT_TITLE).getByTestId('star-toggle');
  assert(await otherStar.getAttribute('aria-pressed') === 'false', 'the short song starts starred in the other tab');
  await openSongs(page);
  await row(page, SHORT_TITLE).hover();
  await row(page, SHORT_TITLE).getByTestId('star-toggle').click();
  assert(await poll(async () => await otherStar.getAttribute('aria-pressed') === 'true', 5000), 'the other tab does not show the new star');
  await other.close();
  assert(!pageErrors().length, `script errors: ${pageErrors().join('; ')}`);
  pass();
});
