// The web player by keyboard, on a phone, in both themes and through axe-core (issue 11): no
// serious or critical axe violation on any main view at 1280×800 and 390×844 in the light and the
// dark theme; menus move with the arrow keys and Escape gives focus back to their button; dialogs
// keep focus inside and give it back; navigation puts focus on the view's heading; a skip link comes
// first; toggles say their state; the album header reads at 4.5:1 on a white and a yellow cover;
// the theme toggle sticks across a reload; the admin and cluster tables fit a phone.
// Run by WebPlayerAccessibilityBrowserTest.
//
// env: BASE_URL ADMIN_USER ADMIN_PASSWORD SCREENSHOT
//      WHITE_ALBUM YELLOW_ALBUM (albums whose covers are white and yellow; WHITE_ALBUM's artist has a
//      long name and the album a year), PLAYLIST_NAME (a playlist with a song), OTHER_USER (a user
//      besides the admin), DUPLICATE_FILE (an audio file already in the library), BROKEN_FILE (a
//      file the server refuses), SONG_COUNT (songs in the library: more than a phone shows at once)
//      optional: CHROMIUM, HEADFUL=1
import { createRequire } from 'node:module';
import { assert, env, logIn, poll, runSteps, sleep } from './steps.mjs';

const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const ADMIN_USER = env('ADMIN_USER');
const ADMIN_PASSWORD = env('ADMIN_PASSWORD');
const SCREENSHOT = env('SCREENSHOT');
const WHITE_ALBUM = env('WHITE_ALBUM');
const YELLOW_ALBUM = env('YELLOW_ALBUM');
const PLAYLIST_NAME = env('PLAYLIST_NAME');
const OTHER_USER = env('OTHER_USER');
const DUPLICATE_FILE = env('DUPLICATE_FILE');
const BROKEN_FILE = env('BROKEN_FILE');
const SONG_COUNT = Number(env('SONG_COUNT'));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
// Optional: a directory that gets a screenshot of every view axe checked (to look at, never committed).
const SHOTS_DIR = process.env.SHOTS_DIR;

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const THEMES = ['dark', 'light'];

const byTestId = (id) => `[data-testid="${id}"]`;
const albumCard = (page, title) => page.getByTestId('album-card').filter({ has: page.locator('.card-title', { hasText: title }) }).first();

// The views axe checks: where to go, what shows the view is drawn, and what to open on it. A new
// view is one more line.
const VIEWS = [
  { name: 'albums', hash: '#/albums', ready: byTestId('album-card') },
  { name: 'home', hash: '#/home', ready: byTestId('home-recently-added') },
  { name: 'favourites', open: starFirstSongAndOpenFavourites, ready: byTestId('favourite-songs') },
  { name: 'history', hash: '#/history', ready: 'main h1' },
  { name: 'genres', hash: '#/genres', ready: byTestId('genre-card') },
  { name: 'a genre', open: async (page) => { await go(page, '#/genres'); await page.getByTestId('genre-card').first().click(); }, ready: byTestId('song-row') },
  { name: 'years', hash: '#/years', ready: byTestId('decade-link') },
  { name: 'now playing', open: openNowPlayingWithASong, ready: `${byTestId('np-title')}:not(:empty)` },
  { name: 'an album', open: (page) => openAlbum(page, WHITE_ALBUM), ready: byTestId('album-title') },
  { name: 'artists', hash: '#/artists', ready: byTestId('artist-card') },
  { name: 'an artist', open: (page) => openArtist(page), ready: byTestId('artist-name') },
  { name: 'songs', hash: '#/songs', ready: byTestId('song-row') },
  { name: 'search with results', hash: '#/search/Cover', ready: `${byTestId('search-results')} ${byTestId('song-row')}` },
  { name: 'playlists', hash: '#/playlists', ready: byTestId('playlist-card') },
  { name: 'a playlist', open: (page) => openPlaylist(page), ready: byTestId('playlist-title') },
  { name: 'account', hash: '#/account', ready: byTestId('password-form') },
  { name: 'admin', hash: '#/admin', ready: byTestId('user-row') },
  { name: 'cluster', hash: '#/cluster', ready: byTestId('cluster-row') },
  { name: 'a dialog', hash: '#/playlists', ready: byTestId('playlist-card'),
    then: async (page) => { await page.getByTestId('new-playlist').click(); await page.locator('dialog[open]').waitFor(); },
    after: async (page) => { await page.keyboard.press('Escape'); await page.locator('dialog[open]').waitFor({ state: 'detached' }); } },
  { name: 'a menu', hash: '#/songs', ready: byTestId('song-row'),
    then: async (page) => { await page.getByTestId('song-more').first().click({ force: true }); await page.getByTestId('menu').waitFor(); },
    after: async (page) => { await page.keyboard.press('Escape'); await page.getByTestId('menu').waitFor({ state: 'detached' }); } },
];

async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
}

// Stars the first song through the API (idempotent: every size and theme comes back here).
async function starFirstSongAndOpenFavourites(page) {
  await page.evaluate(async () => {
    const songs = await (await fetch('/api/songs?limit=1', { headers: { Accept: 'application/json' } })).json();
    const r = await fetch('/api/favourites/songs/' + songs.items[0].id, { method: 'PUT', headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error('starring answered ' + r.status);
  });
  await go(page, '#/favourites');
}

// A song in the queue, paused, so the view shows its cover, controls and queue rather than its empty state.
async function openNowPlayingWithASong(page) {
  const audio = () => page.evaluate(() => { const a = document.getElementById('audio'); return { src: !!a.currentSrc, paused: a.paused }; });
  if (!(await audio()).src) {
    await go(page, '#/songs');
    await page.getByTestId('song-row').first().getByTestId('song-play').click({ force: true });
    await page.waitForFunction(() => !document.getElementById('audio').paused);
  }
  if (!(await audio()).paused) await page.getByTestId('play-button').click();
  await go(page, '#/now-playing');
}

async function openAlbum(page, title) {
  await go(page, '#/albums');
  await albumCard(page, title).click();
}

async function openArtist(page) {
  await openAlbum(page, WHITE_ALBUM);
  await page.locator(`${byTestId('album-hero')} a.link`).click();
}

async function openPlaylist(page) {
  await go(page, '#/playlists');
  await page.getByTestId('playlist-card').filter({ hasText: PLAYLIST_NAME }).first().click();
}

async function show(page, view) {
  if (view.open) await view.open(page); else await go(page, view.hash);
  await page.locator(view.ready).first().waitFor({ state: 'visible' });
  if (view.then) await view.then(page);
}

// Serious and critical violations of the page as it is now, each with the nodes it was found on.
async function axeViolations(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help}\n` + v.nodes.map((n) => `      ${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`).join('\n'));
  });
}

async function setLook(page, size, theme) {
  await page.setViewportSize(size);
  await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
  const shown = await poll(() => page.evaluate((t) => document.documentElement.dataset.theme === t, theme), 3000);
  assert(shown, `the page did not follow prefers-color-scheme: ${theme}`);
}

const activeInfo = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { tag: a.tagName, text: (a.textContent || '').trim().slice(0, 60), testid: a.dataset.testid || '', role: a.getAttribute('role') || '' };
});

// The ratio of the two colours' WCAG relative luminances (in the page's terms: contrast.js).
function contrast(a, b) {
  const lum = ([r, g, bl]) => [r, g, bl].map((c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
    .reduce((s, c, i) => s + c * [0.2126, 0.7152, 0.0722][i], 0);
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// The album header's title and details line: their computed text colour against the colour
// actually painted beside the text (read back from a screenshot), the worst of a few points.
async function heroContrast(page, title) {
  await openAlbum(page, title);
  await page.locator(`${byTestId('album-hero')}[data-colour-from="cover"]`).waitFor({ timeout: 10000 });
  await page.mouse.move(0, 0);
  const spots = await page.evaluate(() => {
    const hero = document.querySelector('[data-testid="album-hero"]');
    const hr = hero.getBoundingClientRect();
    return ['.hero-title', '.hero-meta'].map((sel) => {
      const el = hero.querySelector(sel);
      const range = document.createRange();
      range.selectNodeContents(el);
      const r = range.getBoundingClientRect();
      const y = Math.round(r.top + r.height / 2);
      const points = [[r.left - 6, y], [r.right + 6, y], [r.right + 6, r.top + 2]]
        .filter(([x, py]) => x > hr.left && x < hr.right && py > hr.top && py < hr.bottom).map(([x, py]) => [Math.round(x), Math.round(py)]);
      const ink = getComputedStyle(el).color.match(/[\d.]+/g).slice(0, 3).map(Number);
      return { sel, ink, points };
    });
  });
  const png = (await page.screenshot()).toString('base64');
  const pixels = await page.evaluate(async ({ png, spots }) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + png;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const scale = img.width / innerWidth;
    return spots.map((s) => s.points.map(([x, y]) => [...g.getImageData(Math.round(x * scale), Math.round(y * scale), 1, 1).data].slice(0, 3)));
  }, { png, spots });
  return spots.map((s, i) => {
    assert(pixels[i].length, `no painted point beside ${s.sel} to measure`);
    const worst = Math.min(...pixels[i].map((p) => contrast(s.ink, p)));
    return { sel: s.sel, ink: s.ink, background: pixels[i], ratio: worst };
  });
}

// Elements of the view wider than the phone's screen, and whether the view scrolls sideways.
const overflow = (page) => page.evaluate(() => {
  const content = document.getElementById('content');
  const wide = [...content.querySelectorAll('*')].filter((el) => {
    const r = el.getBoundingClientRect();
    // A table's header row is there for screen readers only on a phone (each cell is labelled).
    return r.width > 0 && r.height > 1 && r.right > innerWidth + 0.5 && !el.closest('thead, .visually-hidden');
  }).slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`);
  return { wide, docScroll: document.documentElement.scrollWidth, contentScroll: content.scrollWidth, contentWidth: content.clientWidth, innerWidth };
});

function assertFits(o, what) {
  assert(o.docScroll <= o.innerWidth && o.contentScroll <= o.contentWidth && !o.wide.length,
    `${what} is wider than the ${o.innerWidth} px screen: ${JSON.stringify(o)}`);
}

await runSteps(SCREENSHOT, async ({ page, step, pass, pageErrors }) => {
  step('axe: the login page at both sizes in both themes');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(BASE_URL + '/', { waitUntil: 'domcontentloaded' });
  await page.getByTestId('login-username').waitFor();
  const found = [];
  for (const size of [DESKTOP, PHONE]) {
    for (const theme of THEMES) {
      await setLook(page, size, theme);
      for (const v of await axeViolations(page)) found.push(`login ${size.width}px ${theme}: ${v}`);
    }
  }
  assert(!found.length, `axe found:\n  ${found.join('\n  ')}`);
  pass();

  step('axe: every main view, a dialog and a menu at both sizes in both themes');
  await page.setViewportSize(DESKTOP);
  await logIn(page, BASE_URL, ADMIN_USER, ADMIN_PASSWORD);
  let runs = 0;
  for (const size of [DESKTOP, PHONE]) {
    for (const theme of THEMES) {
      await setLook(page, size, theme);
      for (const view of VIEWS) {
        await show(page, view);
        for (const v of await axeViolations(page)) found.push(`${view.name} ${size.width}px ${theme}: ${v}`);
        if (SHOTS_DIR) await page.screenshot({ path: `${SHOTS_DIR}/${view.name.replace(/\W+/g, '-')}-${size.width}-${theme}.png` });
        runs++;
        if (view.after) await view.after(page);
      }
    }
  }
  for (const v of found) console.log(`  axe: ${v}`);
  assert(!found.length, `${found.length} serious or critical violations (listed above)`);
  pass(`${runs} views checked`);
  await setLook(page, DESKTOP, 'dark');

  step('menu: arrow keys, Home and End move through it, Escape closes it and gives focus back to its button');
  await go(page, '#/songs');
  const more = page.getByTestId('song-row').first().getByTestId('song-more');
  await more.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('menu').waitFor();
  const items = await page.locator('[role="menu"] [role="menuitem"]').allInnerTexts();
  const focusedItem = async () => (await activeInfo(page)).role === 'menuitem' ? (await activeInfo(page)).text : `(${(await activeInfo(page)).tag})`;
  const seen = [await focusedItem()];
  for (const key of ['ArrowDown', 'ArrowDown', 'ArrowUp', 'End', 'ArrowDown', 'Home', 'ArrowUp']) { await page.keyboard.press(key); seen.push(await focusedItem()); }
  const last = items[items.length - 1].trim();
  const want = [items[0], items[1], items[2], items[1], last, items[0], items[0], last].map((t) => t.trim());
  assert(JSON.stringify(seen) === JSON.stringify(want), `focus went ${JSON.stringify(seen)}, expected ${JSON.stringify(want)}`);
  const tabbable = await page.locator('[role="menuitem"][tabindex="0"]').count();
  assert(tabbable === 1, `${tabbable} menu items are in the tab order (roving tabindex keeps one)`);
  assert(await more.getAttribute('aria-expanded') === 'true', 'the open menu\'s button does not say aria-expanded="true"');
  await page.keyboard.press('Escape');
  await page.getByTestId('menu').waitFor({ state: 'detached' });
  assert(await more.evaluate((b) => document.activeElement === b), `after Escape focus is on ${JSON.stringify(await activeInfo(page))}, not the More options button`);
  await page.keyboard.press('Enter');
  await page.getByTestId('menu').waitFor();
  await page.keyboard.press('Tab');
  await page.getByTestId('menu').waitFor({ state: 'detached' });
  const afterTab = await activeInfo(page);
  assert(afterTab.tag !== 'BODY', 'Tab closed the menu but left focus on <body>');
  pass(`${items.length} items; Tab closed it, focus on ${afterTab.tag} ${afterTab.testid}`);

  step('dialog: Tab stays inside it, Escape closes it and gives focus back to the button that opened it');
  const newPlaylist = page.locator('.nav-section-head button[aria-label="New playlist"]');
  await newPlaylist.focus();
  await page.keyboard.press('Enter');
  const dlg = page.locator('dialog[open]');
  await dlg.waitFor();
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press(i % 2 ? 'Shift+Tab' : 'Tab');
    await page.keyboard.press('Tab');
    assert(await dlg.evaluate((d) => d.contains(document.activeElement)), `Tab left the dialog for ${JSON.stringify(await activeInfo(page))}`);
  }
  await page.keyboard.press('Escape');
  await dlg.waitFor({ state: 'detached' });
  assert(await newPlaylist.evaluate((b) => document.activeElement === b), `after the dialog closed focus is on ${JSON.stringify(await activeInfo(page))}`);
  pass();

  step('navigation puts focus on the new view\'s heading');
  for (const [nav, heading] of [['nav-albums', 'Albums'], ['nav-artists', 'Artists'], ['nav-songs', 'Songs']]) {
    await page.getByTestId(nav).click();
    const ok = await poll(async () => { const a = await activeInfo(page); return a.tag === 'H1' && a.text === heading; }, 3000);
    assert(ok, `after ${nav} focus is on ${JSON.stringify(await activeInfo(page))}, not the "${heading}" heading`);
  }
  await go(page, '#/albums');
  await albumCard(page, YELLOW_ALBUM).click();
  const onAlbum = await poll(async () => { const a = await activeInfo(page); return a.tag === 'H1' && a.testid === 'album-title'; }, 5000);
  assert(onAlbum, `after opening an album focus is on ${JSON.stringify(await activeInfo(page))}`);
  pass();

  step('skip link: the first Tab after a load reaches it, and it moves focus to the view');
  await go(page, '#/songs');
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.getByTestId('song-row').first().waitFor();
  await page.keyboard.press('Tab');
  const first = await activeInfo(page);
  assert(first.testid === 'skip-link' && first.text === 'Skip to content', `the first Tab reached ${JSON.stringify(first)}`);
  const skipBox = await page.getByTestId('skip-link').boundingBox();
  assert(skipBox && skipBox.y >= 0 && skipBox.width > 20, `the focused skip link is not on screen: ${JSON.stringify(skipBox)}`);
  await page.keyboard.press('Enter');
  const landed = await activeInfo(page);
  assert(landed.tag === 'H1' && landed.text === 'Songs', `the skip link moved focus to ${JSON.stringify(landed)}`);
  assert(await page.evaluate(() => location.hash) === '#/songs', 'the skip link changed the view');
  pass();

  step('toggles say what they do and whether they are on; a focused row shows its play button; the sliders show focus');
  const repeat = page.getByTestId('repeat-button');
  const states = [];
  for (let i = 0; i < 3; i++) {
    states.push(`${await repeat.getAttribute('aria-label')}/${await repeat.getAttribute('aria-pressed')}`);
    await repeat.click();
  }
  assert(JSON.stringify(states) === JSON.stringify(['Repeat: off/false', 'Repeat: all/true', 'Repeat: one/true']), `repeat went ${JSON.stringify(states)}`);
  const shuffle = page.getByTestId('shuffle-button');
  const shuffleWas = await shuffle.getAttribute('aria-pressed');
  await shuffle.click();
  const shuffleNow = await shuffle.getAttribute('aria-pressed');
  await shuffle.click();
  assert(['true', 'false'].includes(shuffleWas) && shuffleNow !== shuffleWas, `shuffle aria-pressed ${shuffleWas} → ${shuffleNow}`);
  // The audio element reports a volume change a moment later (volumechange): wait for the button to follow.
  const mute = page.getByTestId('mute-button');
  const muteState = async (pressed) => poll(async () => {
    const now = `${await mute.getAttribute('aria-label')}/${await mute.getAttribute('aria-pressed')}`;
    return now.endsWith(`/${pressed}`) ? now : null;
  }, 2000) || `${await mute.getAttribute('aria-label')}/${await mute.getAttribute('aria-pressed')}`;
  await mute.click();
  const muted = await muteState(true);
  await mute.click();
  const unmuted = await muteState(false);
  assert(muted === 'Mute/true' && unmuted === 'Mute/false', `mute: ${muted} then ${unmuted}`);
  const rowEl = page.getByTestId('song-row').first();
  await page.mouse.move(0, 0);
  await rowEl.focus();
  const playShown = await rowEl.locator('.row-play').evaluate((b) => getComputedStyle(b).opacity);
  assert(playShown === '1', `a focused row's play button has opacity ${playShown}`);
  const rings = [];
  for (const id of ['seek-slider', 'volume-slider']) {
    await page.getByTestId('play-button').focus();
    await page.keyboard.press(id === 'seek-slider' ? 'Shift+Tab' : 'Tab'); // keyboard focus: :focus-visible
    await page.getByTestId(id).focus();
    const ring = await page.getByTestId(id).evaluate((el) => {
      const s = getComputedStyle(el);
      let bg = null;
      for (let p = el; p && !bg; p = p.parentElement) { const c = getComputedStyle(p).backgroundColor; if (!/rgba\(.*, 0\)$|transparent/.test(c)) bg = c; }
      return { visible: el.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor, bg };
    });
    const num = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
    const ratio = contrast(num(ring.colour), num(ring.bg || 'rgb(0,0,0)'));
    assert(ring.visible && ring.style !== 'none' && ring.width >= 2 && ratio >= 3, `the focused ${id} shows ${JSON.stringify(ring)} (contrast ${ratio.toFixed(2)})`);
    rings.push(`${id} ${ratio.toFixed(1)}:1`);
  }
  pass(rings.join(', '));

  step('the album header reads at 4.5:1 or more on a white and on a yellow cover, in both themes; so does the search placeholder');
  const measured = [];
  for (const theme of THEMES) {
    await setLook(page, DESKTOP, theme);
    const hint = await page.getByTestId('search-input').evaluate((el) => ({
      ink: getComputedStyle(el, '::placeholder').color, bg: getComputedStyle(el).backgroundColor }));
    const hintRatio = contrast(...[hint.ink, hint.bg].map((c) => c.match(/[\d.]+/g).slice(0, 3).map(Number)));
    assert(hintRatio >= 4.5, `the search placeholder (${theme}) is ${hint.ink} on ${hint.bg}: ${hintRatio.toFixed(2)}:1`);
    measured.push(`placeholder ${theme} ${hintRatio.toFixed(2)}:1`);
    for (const album of [WHITE_ALBUM, YELLOW_ALBUM]) {
      for (const m of await heroContrast(page, album)) {
        measured.push(`${album} ${theme} ${m.sel} ${m.ratio.toFixed(2)}:1`);
        assert(m.ratio >= 4.5, `${m.sel} of "${album}" (${theme}): ink ${m.ink} on ${JSON.stringify(m.background)} is ${m.ratio.toFixed(2)}:1`);
      }
    }
  }
  pass(measured.join('; '));

  step('the theme toggle switches the theme over the system\'s and the choice survives a reload');
  await setLook(page, DESKTOP, 'dark');
  const look = () => page.evaluate(() => ({ theme: document.documentElement.dataset.theme, bg: getComputedStyle(document.querySelector('.main-col')).backgroundColor }));
  const before = await look();
  const toggle = page.getByTestId('theme-toggle');
  assert(await toggle.getAttribute('aria-label') === 'Switch to light theme', `the toggle is named "${await toggle.getAttribute('aria-label')}"`);
  await toggle.click();
  const after = await look();
  assert(after.theme === 'light' && after.bg !== before.bg, `the toggle changed ${JSON.stringify(before)} to ${JSON.stringify(after)}`);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.getByTestId('app-shell').waitFor();
  const reloaded = await look();
  assert(reloaded.theme === 'light' && reloaded.bg === after.bg, `after a reload (system still dark) the page is ${JSON.stringify(reloaded)}`);
  await page.getByTestId('theme-toggle').click();
  await page.evaluate(() => localStorage.removeItem('dspot.theme'));
  pass(`${before.bg} → ${after.bg}, kept after the reload`);

  step('desktop: at 1280×800 the sidebar\'s parts (brand, links, playlists, user box) lie one below the other, none over another');
  await setLook(page, DESKTOP, 'dark');
  await go(page, '#/home');
  const parts = await page.evaluate(() => ['.sidebar .brand', '.sidebar .nav', '.sidebar .nav-section', '.sidebar .user-box']
    .map((sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return { sel, top: r.top, bottom: r.bottom }; }));
  for (let i = 1; i < parts.length; i++) {
    assert(parts[i].top >= parts[i - 1].bottom - 0.5, `${parts[i].sel} (top ${parts[i].top}) overlaps ${parts[i - 1].sel} (bottom ${parts[i - 1].bottom})`);
  }
  pass(parts.map((p) => `${p.sel.replace('.sidebar ', '')} ${Math.round(p.top)}–${Math.round(p.bottom)}`).join(', '));

  step('phone: the drawer opens onto its first link, keeps Tab inside and Escape gives focus back to its button; the tables, the song list and the album cards fit 390 px; Delete is on screen');
  await setLook(page, PHONE, 'dark');
  const drawer = page.getByTestId('sidebar');
  const menuButton = page.getByTestId('menu-button');
  assert(await drawer.evaluate((el) => getComputedStyle(el).visibility) === 'hidden', 'the closed drawer\'s links are still in the tab order');
  // The drawer is opened while the view under it is still loading (its answer held back): the view
  // arriving later must not take the focus out of the drawer.
  await page.route('**/api/home*', async (route) => { await sleep(1500); await route.continue().catch(() => {}); });
  await go(page, '#/albums');
  const homeAnswered = page.waitForResponse((r) => r.url().includes('/api/home'), { timeout: 10000 });
  await go(page, '#/home');
  await menuButton.focus();
  await page.keyboard.press('Enter');
  await homeAnswered;
  await page.unroute('**/api/home*');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
  const inDrawer = await poll(() => drawer.evaluate((el) => el.contains(document.activeElement)), 3000);
  assert(inDrawer && await menuButton.getAttribute('aria-expanded') === 'true', `the opened drawer has no focus (${JSON.stringify(await activeInfo(page))}, aria-expanded ${await menuButton.getAttribute('aria-expanded')})`);
  // Shift+Tab from its first control wraps to its last, and Tab from there back to the first: focus never leaves it.
  await page.keyboard.press('Shift+Tab');
  const wrapped = await drawer.evaluate((el) => el.contains(document.activeElement) && document.activeElement.matches('[data-testid="logout"]'));
  await page.keyboard.press('Tab');
  const backToFirst = await drawer.evaluate((el) => el.contains(document.activeElement) && !document.activeElement.matches('[data-testid="logout"]'));
  assert(wrapped && backToFirst, `Tab leaves the open drawer: ${JSON.stringify(await activeInfo(page))}`);
  await page.keyboard.press('Escape');
  const backOnButton = await poll(() => menuButton.evaluate((b) => document.activeElement === b), 3000);
  assert(backOnButton && await menuButton.getAttribute('aria-expanded') === 'false', `after Escape focus is on ${JSON.stringify(await activeInfo(page))}`);
  await go(page, '#/admin');
  const otherRow = page.getByTestId('user-row').filter({ hasText: OTHER_USER });
  await otherRow.waitFor();
  assertFits(await overflow(page), 'the admin view');
  const del = otherRow.getByTestId('delete-user');
  await del.scrollIntoViewIfNeeded();
  const delVisible = await del.evaluate((b) => {
    const r = b.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { left: r.left, right: r.right, hit: !!hit && (hit === b || b.contains(hit)), width: innerWidth };
  });
  assert(delVisible.left >= 0 && delVisible.right <= delVisible.width && delVisible.hit, `the Delete button is cut off or covered: ${JSON.stringify(delVisible)}`);
  await go(page, '#/cluster');
  await page.getByTestId('cluster-row').first().waitFor();
  assertFits(await overflow(page), 'the cluster view');
  await go(page, '#/songs');
  await page.getByTestId('song-row').first().waitFor();
  assertFits(await overflow(page), 'the song list');
  await go(page, '#/albums');
  const card = albumCard(page, WHITE_ALBUM);
  await card.waitFor();
  const year = await card.evaluate((c) => {
    const sub = c.querySelector('.card-sub');
    const tail = sub.querySelector('.card-sub-tail');
    return { text: tail ? tail.textContent : sub.textContent, cut: !tail || tail.getBoundingClientRect().right > sub.getBoundingClientRect().right + 0.5 };
  });
  assert(!year.cut && /\d{4}$/.test(year.text), `the album card's year is cut: ${JSON.stringify(year)}`);
  pass(`year shown as "${year.text.trim()}"`);

  step('uploads on a phone: a duplicate says it is already in the library; the panel covers no row and folds after an error');
  await go(page, '#/songs');
  const rows = page.getByTestId('song-row');
  await rows.first().waitFor();
  await page.mouse.move(1, 1); // a pointer resting on the panel keeps it open, as it should
  await page.getByTestId('upload-input').setInputFiles([DUPLICATE_FILE, BROKEN_FILE]);
  const uploads = page.getByTestId('upload-item');
  const finished = await poll(async () => {
    const all = await uploads.evaluateAll((lis) => lis.map((li) => ({ status: li.dataset.status, text: li.querySelector('[data-testid="upload-message"]').textContent })));
    return all.length === 2 && all.every((i) => i.status === 'done' || i.status === 'error') ? all : null;
  }, 20000);
  assert(finished, `the uploads did not finish: ${JSON.stringify(await uploads.allInnerTexts())}`);
  const said = finished[0].text;
  assert(finished[0].status === 'done' && said.startsWith('Already in your library'), `the duplicate upload says "${said}"`);
  assert(finished[1].status === 'error', `the broken file was not refused: ${JSON.stringify(finished[1])}`);
  // The duplicate redraws the list (library-changed): scroll once every song is back.
  assert(await poll(async () => (await rows.count()) === SONG_COUNT, 10000), `the song list shows ${await rows.count()} of ${SONG_COUNT} songs`);
  const covered = await page.evaluate(() => {
    const content = document.getElementById('content');
    content.scrollTop = content.scrollHeight;
    const panel = document.querySelector('[data-testid="upload-panel"]').getBoundingClientRect();
    const all = [...document.querySelectorAll('[data-testid="song-row"]')];
    const last = all[all.length - 1].getBoundingClientRect();
    return { lastBottom: Math.round(last.bottom), panelTop: Math.round(panel.top), panelHeight: Math.round(panel.height) };
  });
  assert(covered.lastBottom <= covered.panelTop, `scrolled to the end, the last song is under the upload panel: ${JSON.stringify(covered)}`);
  const folded = await poll(async () => (await page.getByTestId('upload-list').isHidden()) && (await page.getByTestId('upload-details').getAttribute('aria-expanded')) === 'false', 10000);
  const panelHeight = (await page.getByTestId('upload-panel').boundingBox()).height;
  assert(folded && panelHeight < 80, `after the error the panel stays open (${Math.round(panelHeight)} px high)`);
  const title = (await page.locator('.upload-panel-title').innerText()).trim();
  assert(/1 done, 1 failed/.test(title), `the folded panel says "${title}"`);
  await page.getByTestId('upload-close').click();
  await page.getByTestId('upload-panel').waitFor({ state: 'hidden' });
  pass(`"${said}"; folded to "${title}"`);

  step('the search box empties when leaving search');
  await setLook(page, DESKTOP, 'dark');
  await page.getByTestId('search-input').fill('Cover');
  await page.getByTestId('search-results').waitFor();
  await page.getByTestId('nav-songs').click();
  await page.getByTestId('songs-list').waitFor();
  const left = await page.getByTestId('search-input').inputValue();
  assert(left === '', `the search box still says "${left}" on Songs`);
  assert(!pageErrors().length, `page errors: ${pageErrors().join('; ')}`);
  pass();
}, { bypassCSP: true });
