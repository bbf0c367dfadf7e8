// The web player's "Subsonic apps" panel (account page), as a listener meets it: a wrong account
// password is refused on the page; a generated app password is shown once and logs the npm client
// `subsonic-api` in (token auth, and its API key alone); revoking it on the page logs the client out (error 40).
// Run by SubsonicPasswordBrowserTest.
//
// env: BASE_URL ADMIN_USER ADMIN_PASSWORD SCREENSHOT; optional: CHROMIUM, HEADFUL=1
import { SubsonicAPI } from 'subsonic-api';
import { assert, env, logIn, poll, runSteps } from './steps.mjs';

const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const ADMIN_USER = env('ADMIN_USER');
const ADMIN_PASSWORD = env('ADMIN_PASSWORD');
const SCREENSHOT = env('SCREENSHOT');

const appClient = (password) => new SubsonicAPI({ url: BASE_URL, auth: { username: ADMIN_USER, password } });

await runSteps(SCREENSHOT, async ({ page, step, pass, pageErrors }) => {
  step('log in and open the account page');
  await logIn(page, BASE_URL, ADMIN_USER, ADMIN_PASSWORD);
  await page.getByTestId('nav-account').click();
  const status = page.getByTestId('app-password-status');
  await poll(async () => /No app password/.test(await status.innerText()), 5000);
  assert(/No app password/.test(await status.innerText()), `status: ${await status.innerText()}`);
  pass();

  step('a wrong account password is refused on the page');
  await page.getByTestId('app-current-password').fill('not-the-account-password');
  await page.getByTestId('app-password-set').click();
  await page.locator('[data-testid="app-password-error"]:not(:empty)').waitFor({ state: 'visible' });
  assert(/current password is wrong/.test(await page.getByTestId('app-password-error').innerText()), 'no refusal shown');
  pass();

  step('a generated app password is shown once and logs a Subsonic client in');
  await page.getByTestId('app-current-password').fill(ADMIN_PASSWORD);
  await page.getByTestId('app-password-set').click();
  const value = page.getByTestId('app-password-value');
  await value.waitFor({ state: 'visible' });
  const generated = (await value.innerText()).trim();
  assert(generated.length >= 20, `generated "${generated}"`);
  await poll(async () => /is set/.test(await status.innerText()), 5000);
  assert(/is set/.test(await status.innerText()), `status: ${await status.innerText()}`);
  const apiKey = (await page.getByTestId('app-password-api-key').innerText()).trim();
  const byKey = await new SubsonicAPI({ url: BASE_URL, auth: { apiKey } }).ping();
  assert(byKey.status === 'ok', `ping with the API key: ${JSON.stringify(byKey)}`);
  const ping = await appClient(generated).ping();
  assert(ping.status === 'ok', `ping with the app password: ${JSON.stringify(ping)}`);
  const withAccountPassword = await appClient(ADMIN_PASSWORD).ping();
  assert(withAccountPassword.status === 'failed' && withAccountPassword.error.code === 40, 'the account password logged an app in');
  pass();

  step('revoking it on the page logs the client out');
  await page.getByTestId('app-password-revoke').click();
  await poll(async () => /No app password/.test(await status.innerText()), 5000);
  assert(/No app password/.test(await status.innerText()), `status: ${await status.innerText()}`);
  assert(await page.getByTestId('app-password-shown').isHidden(), 'the password is still shown after revoking');
  const after = await appClient(generated).ping();
  assert(after.status === 'failed' && after.error.code === 40, `after revoking: ${JSON.stringify(after)}`);
  assert(pageErrors().length === 0, `page errors: ${pageErrors()}`);
  pass();
});
