// Admin page: import a folder on the server (one of import.roots) and watch it go: a progress bar
// with the files done of found, files per second and the time left, refreshed while it runs.
import { h, icon } from '../dom.js';
import { request } from '../api.js';
import { errorMessage } from '../ui.js';

const POLL_MS = 1000;

export function importPanel(ctx) {
  const path = h('input', { class: 'input', name: 'path', placeholder: 'Folder on the server, e.g. /srv/music', required: true,
    autocomplete: 'off', 'aria-label': 'Folder to import', 'data-testid': 'import-path' });
  const err = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'import-error' });
  const fill = h('div', { class: 'progress-fill' });
  const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Folder import', 'aria-valuemin': '0',
    'aria-valuemax': '0', 'aria-valuenow': '0', 'data-testid': 'import-progress' }, fill);
  const status = h('div', { class: 'upload-status', 'aria-live': 'polite', 'data-testid': 'import-status' }, 'No import has run yet.');
  const form = h('form', { class: 'inline-form', 'data-testid': 'import-form', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      show(await request('POST', '/api/admin/import', { path: path.value.trim() }));
      poll();
    } catch (ex) { err.textContent = errorMessage(ex); }
  } }, path, h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'import-start' }, icon('plus'), 'Import'));

  function show(job) {
    const found = job.found || 0;
    const done = Math.min(job.done || 0, found);
    bar.setAttribute('aria-valuemax', String(found));
    bar.setAttribute('aria-valuenow', String(done));
    bar.dataset.state = job.state;
    fill.style.width = found ? `${(100 * done) / found}%` : (job.state === 'finished' ? '100%' : '0');
    const counts = `${job.imported || 0} imported, ${job.unchanged || 0} unchanged, ${job.duplicates || 0} duplicates, ${job.failed || 0} failed`;
    const text = job.state === 'running'
      ? `${done} of ${found} files · ${Math.round(job.filesPerSecond || 0)} files/s${job.etaSeconds >= 0 ? ` · about ${job.etaSeconds} s left` : ''}`
      : `${job.state === 'finished' ? 'Finished' : 'Failed'}: ${counts}${job.error ? ` (${job.error})` : ''}`;
    status.textContent = `${text} — ${job.path}`;
    bar.setAttribute('aria-valuetext', text);
  }

  let timer = null;
  async function poll() {
    clearTimeout(timer);
    if (!ctx.alive()) return;
    try {
      const job = await request('GET', '/api/admin/import');
      if (!ctx.alive()) return;
      show(job);
      if (job.state === 'running') timer = setTimeout(poll, POLL_MS);
    } catch (ex) {
      if (ex.status !== 404) err.textContent = errorMessage(ex); // 404: no import yet
    }
  }
  poll();

  return h('section', { class: 'panel' }, h('h2', { class: 'section-title' }, 'Import a folder'), form, err, bar, status);
}
