// What a browser script of webtest/ is made of: numbered steps printed as `ok N - ...` or
// `FAIL N - step: reason` (with a failure screenshot), Debian's Chromium launched through
// playwright-core, the login form, and the stdio line protocol with the Java harness
// (io.dspot.testkit.BrowserScript). failover.test.mjs is built on it; player.test.mjs takes the helpers.
import { chromium } from 'playwright-core';
import { readdirSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// browser.close() returns before Chromium's last helper processes stop writing into the profile
// (CI once saw ENOTEMPTY on Default/): rmSync retries ENOTEMPTY and EBUSY itself.
export const RM_PROFILE = { recursive: true, force: true, maxRetries: 20, retryDelay: 100 };

export class StepError extends Error {}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function assert(cond, msg) { if (!cond) throw new StepError(msg); }

export function env(name, fallback) {
  const v = process.env[name] || fallback;
  if (!v) {
    console.error(`FAIL setup: environment variable ${name} is required`);
    process.exit(1);
  }
  return v;
}

// Calls fn until it returns something truthy or the time is up; its last value.
export async function poll(fn, timeoutMs, intervalMs = 100) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const last = await fn();
    if (last || Date.now() > end) return last;
    await sleep(intervalMs);
  }
}

// Asks the harness to do something ("@@ KILL_LEADER" on stdout) and waits for "ok [detail]" on stdin; the detail.
let harnessLines = null;
export async function harness(command, timeoutMs) {
  if (!harnessLines) harnessLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  console.log(`@@ ${command}`);
  let timer;
  const late = new Promise((r) => { timer = setTimeout(() => r({ value: `error: no answer within ${timeoutMs} ms` }), timeoutMs); });
  const answer = await Promise.race([harnessLines.next(), late]);
  clearTimeout(timer);
  const text = (answer.value || 'error: the harness closed stdin').trim();
  if (!/^ok\b/.test(text)) throw new StepError(`${command}: ${text}`);
  return text.slice(2).trim();
}

// Runs body({ page, context, watch, step, pass, pageErrors }) in a fresh Chromium page and exits 0
// when every step passed (another tab: watch(await context.newPage()), so its errors count too). On
// a failure: a FAIL line, the last console errors and <screenshot>.fail.png. The browser and the
// profile dirs playwright made in the temp dir are removed in every case (the harness gives each
// run a temp dir of its own, so no other run's dirs are touched).
// contextOptions: more options for the browser context (a11y.test.mjs needs bypassCSP to inject axe-core).
export async function runSteps(screenshot, body, contextOptions = {}) {
  let stepNo = 0;
  let stepName = 'setup';
  const step = (name) => { stepNo++; stepName = name; };
  const pass = (detail) => console.log(`ok ${stepNo} - ${stepName}${detail ? ` (${detail})` : ''}`);
  const tmpRoot = tmpdir();
  const profileDirs = () => new Set(readdirSync(tmpRoot).filter((n) => n.startsWith('playwright')));
  const dirsBefore = profileDirs();
  const consoleErrors = [];
  let browser;
  let page;
  let exitCode = 0;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: process.env.HEADFUL !== '1',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    });
    // Nodes serve HTTPS with a self-signed certificate made at their first start.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ignoreHTTPSErrors: true, ...contextOptions });
    const watch = (tab) => {
      tab.setDefaultTimeout(15000);
      tab.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
      tab.on('pageerror', (e) => consoleErrors.push('pageerror: ' + e.message));
      return tab;
    };
    page = watch(await context.newPage());
    const pageErrors = () => consoleErrors.filter((m) => m.startsWith('pageerror'));
    await body({ page, context, watch, step, pass, pageErrors });
  } catch (e) {
    exitCode = 1;
    console.error(`FAIL ${stepNo} - ${stepName}: ${e instanceof StepError ? e.message : (e && e.stack) || e}`);
    if (consoleErrors.length) console.error('browser console errors:\n  ' + consoleErrors.slice(-10).join('\n  '));
    if (page) {
      const shot = screenshot.replace(/(\.png)?$/i, '.fail.png');
      await page.screenshot({ path: shot }).then(() => console.error(`failure screenshot: ${shot}`)).catch(() => {});
    }
  } finally {
    step('close the browser and remove its profile dirs');
    try {
      if (browser) await browser.close();
      for (const n of profileDirs()) if (!dirsBefore.has(n)) rmSync(join(tmpRoot, n), RM_PROFILE);
      const left = [...profileDirs()].filter((n) => !dirsBefore.has(n));
      if (left.length) throw new StepError(`left behind: ${left.join(', ')}`);
      if (exitCode === 0) pass();
    } catch (e) {
      exitCode = 1;
      console.error(`FAIL ${stepNo} - ${stepName}: ${e.message || e}`);
    }
  }
  console.log(exitCode === 0 ? 'PASS: all steps passed' : 'FAILED');
  process.exit(exitCode);
}

// Logs in through the form at baseUrl and waits (up to timeoutMs for each of the page and the
// login) for the app shell.
export async function logIn(page, baseUrl, user, password, timeoutMs = 15000) {
  await page.goto(baseUrl + '/', { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  const userField = page.getByTestId('login-username');
  await userField.waitFor({ state: 'visible', timeout: timeoutMs }).catch(() => { throw new StepError(`no login form at ${baseUrl}/`); });
  await userField.fill(user);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  const outcome = await Promise.race([
    page.getByTestId('app-shell').waitFor({ state: 'visible', timeout: timeoutMs }).then(() => 'shell'),
    page.locator('[data-testid="login-error"]:not(:empty)').waitFor({ state: 'visible', timeout: timeoutMs }).then(() => 'error'),
  ]).catch(() => 'timeout');
  if (outcome === 'error') throw new StepError(`login refused: "${await page.getByTestId('login-error').innerText()}"`);
  assert(outcome === 'shell', 'the app shell did not appear after logging in');
}

// The <audio> element as the listener would see it.
export function audioNow(page) {
  return page.evaluate(() => {
    const a = document.getElementById('audio');
    const b = a.buffered;
    return { t: a.currentTime, d: a.duration, paused: a.paused, seeking: a.seeking, err: a.error && a.error.code,
      rs: a.readyState, bufferedEnd: b.length ? b.end(b.length - 1) : 0, src: a.currentSrc };
  });
}

// A whole second at least 30 s away from anything Chromium buffered (its look-ahead is a few MB), so
// that playing on from there needs the server; -1 when the song is buffered throughout.
export function unbufferedSecond(page) {
  return page.evaluate(() => {
    const a = document.getElementById('audio');
    const near = (t) => [...Array(a.buffered.length).keys()].some((i) => t > a.buffered.start(i) - 30 && t < a.buffered.end(i) + 30);
    for (let t = 30; t < a.duration - 60; t += 15) if (!near(t)) return t;
    return -1;
  });
}

// The song ids of the queue panel, in order (the panel is opened to read it and closed again).
export async function queueIds(tab) {
  const panel = tab.getByTestId('queue-panel');
  await tab.getByTestId('queue-button').click();
  await panel.waitFor({ state: 'visible' });
  const ids = await tab.getByTestId('queue-item').evaluateAll((items) => items.map((i) => i.dataset.songId));
  await tab.getByTestId('queue-button').click();
  await panel.waitFor({ state: 'hidden' });
  return ids;
}
