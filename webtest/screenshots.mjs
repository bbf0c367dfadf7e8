// Screenshots of the player's main views for docs/, taken on request (DocsScreenshots), not by the
// test runs, in the dark theme. Env: BASE_URL ADMIN_USER ADMIN_PASSWORD OUT_DIR (CHROMIUM). A song is started and
// paused first so the player bar and the now-playing view show a track.
import { env, assert, runSteps, logIn, poll } from './steps.mjs';
import { join } from 'node:path';
import { existsSync } from 'node:fs';

const BASE_URL = env('BASE_URL').replace(/\/$/, '');
const OUT_DIR = env('OUT_DIR');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

// name → where to go and at which size; `open` runs after navigating (a click the view needs).
const SHOTS = [
  { file: 'screenshot.png', size: DESKTOP, hash: '#/home' },
  { file: 'album.png', size: DESKTOP, open: (page) => page.locator('a[href^="#/album/"]').first().click() },
  { file: 'now-playing.png', size: DESKTOP, hash: '#/now-playing' },
  { file: 'phone-home.png', size: PHONE, hash: '#/home' },
  { file: 'phone-player.png', size: PHONE, hash: '#/now-playing' },
];

await runSteps(join(OUT_DIR, 'screenshots.png'), async ({ page, step, pass }) => {
  step('log in and start a song');
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await logIn(page, BASE_URL, env('ADMIN_USER'), env('ADMIN_PASSWORD'));
  await page.goto(BASE_URL + '/#/songs');
  await page.locator('[data-testid="song-row"]').first().dblclick();
  assert(await poll(() => page.evaluate(() => document.getElementById('audio').currentTime > 1), 15000), 'the song did not play');
  await page.keyboard.press('Space');
  pass();
  for (const shot of SHOTS) {
    step(`screenshot ${shot.file}`);
    await page.setViewportSize(shot.size);
    if (shot.hash) await page.goto(BASE_URL + '/' + shot.hash);
    if (shot.open) await shot.open(page);
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => Promise.all([...document.images].map((i) => i.decode().catch(() => {}))));
    await page.mouse.move(0, shot.size.height - 1); // no card shows its hover state
    await page.waitForTimeout(800); // views fade in
    const path = join(OUT_DIR, shot.file);
    await page.screenshot({ path });
    assert(existsSync(path), `${path} was not written`);
    pass(path);
  }
});
