// The admin's folder import in the web player: start it from the admin view, watch the progress
// bar (role=progressbar, aria-valuenow of aria-valuemax files) reach the end, see a refused folder's
// reason, and find the finished job again after a reload. Run by WebPlayerImportBrowserTest.
import { assert, env, logIn, poll, runSteps } from './steps.mjs';

const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const ADMIN_USER = env('ADMIN_USER');
const ADMIN_PASSWORD = env('ADMIN_PASSWORD');
const LIBRARY = env('LIBRARY');
const OUTSIDE = env('OUTSIDE');
const FILES = Number(env('FILES'));
const SCREENSHOT = env('SCREENSHOT');

await runSteps(SCREENSHOT, async ({ page, step, pass }) => {
  step('the admin starts an import and the progress bar goes to the end');
  await logIn(page, BASE_URL, ADMIN_USER, ADMIN_PASSWORD);
  await page.goto(BASE_URL + '/#/admin');
  const bar = page.getByRole('progressbar', { name: 'Folder import' });
  await bar.waitFor({ state: 'visible' });
  await page.getByTestId('import-path').fill(LIBRARY);
  await page.getByTestId('import-start').click();
  const seen = new Set();
  const finished = await poll(async () => {
    seen.add(await bar.getAttribute('aria-valuenow'));
    return (await bar.getAttribute('data-state')) === 'finished';
  }, 60000, 50);
  assert(finished, `the bar never said finished (values seen: ${[...seen]})`);
  const max = await bar.getAttribute('aria-valuemax');
  const now = await bar.getAttribute('aria-valuenow');
  assert(max === String(FILES) && now === String(FILES), `the bar ends at ${now} of ${max}, not ${FILES} of ${FILES}`);
  const status = await page.getByTestId('import-status').innerText();
  assert(status.includes(`Finished: ${FILES} imported`), `the status says ${JSON.stringify(status)}`);
  pass(`values seen: ${[...seen].join(', ')}`);

  step('a folder outside the import roots is refused with the reason');
  await page.getByTestId('import-path').fill(OUTSIDE);
  await page.getByTestId('import-start').click();
  const reason = await poll(async () => (await page.getByTestId('import-error').innerText()).trim(), 10000);
  assert(reason.startsWith('not under an import root'), `the error says ${JSON.stringify(reason)}`);
  pass(reason);

  step('after a reload the admin view shows the finished import');
  await page.reload();
  await page.getByTestId('import-status').filter({ hasText: 'Finished' }).waitFor({ state: 'visible', timeout: 10000 });
  const after = await page.getByRole('progressbar', { name: 'Folder import' }).getAttribute('aria-valuenow');
  assert(after === String(FILES), `after the reload the bar shows ${after}`);
  pass();
});
