// Upload manager (admins): hidden file input, window-wide drop zone, and a
// panel with one progress bar per file. Each file is its own XHR request.
import { h, icon } from './dom.js';
import { uploadFile } from './api.js';
import { app } from './state.js';

const MAX_PARALLEL = 2;
let panel, list, title, input, overlay, details;
let queue = [];
let active = 0;
let batchOk = 0;
let installed = false;

function fmtSize(n) {
  if (n < 1024) return n + ' B';
  if (n < 1048576) return (n / 1024).toFixed(0) + ' KB';
  return (n / 1048576).toFixed(1) + ' MB';
}

export function installUploads(shell) {
  input = h('input', {
    type: 'file', multiple: true, class: 'visually-hidden', id: 'upload-input', 'data-testid': 'upload-input',
    accept: 'audio/*,.mp3,.flac,.ogg,.oga,.opus,.m4a,.aac,.wav', tabindex: '-1', 'aria-label': 'Choose audio files to upload',
  });
  input.addEventListener('change', () => {
    addFiles([...input.files]);
    input.value = '';
  });
  title = h('div', { class: 'upload-panel-title' }, 'Uploads');
  list = h('ul', { class: 'upload-list', id: 'upload-list', 'data-testid': 'upload-list' });
  details = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'aria-expanded': 'true', 'aria-controls': 'upload-list', 'data-testid': 'upload-details',
    onclick: () => collapse(details.getAttribute('aria-expanded') === 'true') }, 'Hide');
  panel = h('section', { class: 'upload-panel', hidden: true, 'data-testid': 'upload-panel', 'aria-label': 'Uploads' },
    h('div', { class: 'upload-panel-head' }, icon('upload'), title, details,
      h('button', { class: 'icon-btn', type: 'button', title: 'Close', 'aria-label': 'Close uploads', 'data-testid': 'upload-close', onclick: () => { panel.hidden = true; pruneFinished(); } }, icon('close'))),
    list);
  overlay = h('div', { class: 'drop-overlay', 'aria-hidden': 'true' },
    h('div', { class: 'drop-box' }, icon('upload', 'drop-icon'), h('div', { class: 'drop-title' }, 'Drop to upload'), h('div', { class: 'drop-sub' }, 'MP3, FLAC, Ogg, M4A… each file is added to the library')));
  shell.append(input, panel, overlay);
  // The page leaves that much room at its end, so every row can be scrolled out from under the panel.
  new ResizeObserver(() => document.documentElement.style.setProperty('--upload-room', panel.offsetHeight + 'px')).observe(panel);

  if (!installed) {
    installed = true;
    let depth = 0;
    const hasFiles = (e) => e.dataTransfer && [...(e.dataTransfer.types || [])].includes('Files');
    window.addEventListener('dragenter', (e) => {
      if (!app.isAdmin || !hasFiles(e)) return;
      e.preventDefault(); depth++; document.body.classList.add('dragging');
    });
    window.addEventListener('dragover', (e) => {
      if (!app.isAdmin || !hasFiles(e)) return;
      e.preventDefault(); e.dataTransfer.dropEffect = 'copy';
    });
    window.addEventListener('dragleave', (e) => {
      if (!app.isAdmin || !hasFiles(e)) return;
      depth = Math.max(0, depth - 1); if (!depth) document.body.classList.remove('dragging');
    });
    window.addEventListener('drop', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault(); depth = 0; document.body.classList.remove('dragging');
      if (!app.isAdmin) return;
      addFiles([...e.dataTransfer.files]);
    });
  }
}

// Folded to its title line the panel leaves the list it sat on readable; the details stay a click away.
function collapse(folded) {
  list.hidden = folded;
  details.setAttribute('aria-expanded', String(!folded));
  details.textContent = folded ? 'Details' : 'Hide';
}

export function pickFiles() { if (input) input.click(); }

function pruneFinished() {
  list.querySelectorAll('[data-status="done"],[data-status="error"]').forEach((li) => li.remove());
}

function updateTitle() {
  const all = list.querySelectorAll('.upload-item').length;
  const done = list.querySelectorAll('[data-status="done"]').length;
  const failed = list.querySelectorAll('[data-status="error"]').length;
  const pending = all - done - failed;
  title.textContent = pending ? `Uploading ${pending} file${pending === 1 ? '' : 's'}…` : `Uploads: ${done} done${failed ? `, ${failed} failed` : ''}`;
}

let hideTimer = null;
// Once everything finished, tuck the panel away after a while: without errors it closes, with
// errors it folds to its title ("2 done, 1 failed"), which says where to look.
function scheduleAutoHide() {
  clearTimeout(hideTimer);
  if (list.querySelector('[data-status="error"]')) {
    hideTimer = setTimeout(() => { if (!active && !queue.length && !panel.matches(':hover, :focus-within')) collapse(true); }, 6000);
    return;
  }
  hideTimer = setTimeout(() => {
    if (active || queue.length || list.querySelector('[data-status="error"]') || panel.matches(':hover')) return;
    panel.hidden = true;
    pruneFinished();
  }, 6000);
}

export function addFiles(files) {
  if (!files.length) return;
  clearTimeout(hideTimer);
  panel.hidden = false;
  collapse(false);
  for (const file of files) {
    const bar = h('div', { class: 'progress-fill' });
    const status = h('div', { class: 'upload-status', 'data-testid': 'upload-message' }, 'Waiting…');
    const li = h('li', { class: 'upload-item', 'data-testid': 'upload-item', 'data-status': 'queued', 'data-file': file.name },
      h('div', { class: 'upload-row' }, h('span', { class: 'upload-name', title: file.name }, file.name), h('span', { class: 'upload-size' }, fmtSize(file.size))),
      h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' }, bar),
      status);
    list.appendChild(li);
    queue.push({ file, li, bar, status });
  }
  updateTitle();
  pump();
}

function pump() {
  while (active < MAX_PARALLEL && queue.length) {
    const job = queue.shift();
    active++;
    run(job).finally(() => {
      active--;
      updateTitle();
      if (!active && !queue.length) {
        if (batchOk) { batchOk = 0; app.emit('library-changed'); }
        scheduleAutoHide();
      }
      pump();
    });
  }
}

async function run({ file, li, bar, status }) {
  li.dataset.status = 'uploading';
  status.textContent = 'Uploading…';
  try {
    const res = await uploadFile(file, (f) => {
      const pct = Math.round(f * 100);
      bar.style.width = pct + '%';
      li.querySelector('.progress').setAttribute('aria-valuenow', String(pct));
      status.textContent = pct < 100 ? `Uploading… ${pct}%` : 'Processing…';
    });
    bar.style.width = '100%';
    const songs = (res && res.songs) || [];
    const s = songs[0];
    li.dataset.status = 'done';
    if (s && s.id) li.dataset.songId = s.id;
    const what = s ? `${s.title || file.name}${s.artist ? ' — ' + s.artist : ''}` : '';
    status.textContent = !s ? 'Uploaded' : s.duplicate ? `Already in your library: ${what}` : `Added: ${what}`;
    batchOk++;
  } catch (e) {
    li.dataset.status = 'error';
    status.textContent = e.message || 'Upload failed';
  }
}
