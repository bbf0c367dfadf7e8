// Reordering a list by keyboard and by drag and drop (the playlist page, the queue panel, the
// now-playing queue). Keyboard: Alt+ArrowUp / Alt+ArrowDown on a focused row, or the row menu's
// Move up / Move down (moveBy); focus follows the row and a live region says where it went.
// Drag: a row dropped on another takes its place. The container must outlive re-renders of the
// rows (listeners are delegated to it), since a move usually re-renders the list.
import { h } from './dom.js';

let status = null;
// One polite live region for every list; it stays in the DOM so each change is announced.
function announce(text) {
  if (!status || !status.isConnected) {
    status = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'data-testid': 'reorder-status' });
    document.body.appendChild(status);
  }
  status.textContent = text;
}

// rows(): the row elements in order; move(from, to) moves the data (and re-renders), may return a
// Promise; name(i): how the row at i is called in the announcement.
export function reorderable(container, { rowSelector, move, name }) {
  const rows = () => [...container.querySelectorAll(rowSelector)];
  let dragFrom = -1;

  async function moveTo(from, to) {
    const all = rows();
    if (from === to || from < 0 || to < 0 || from >= all.length || to >= all.length) return;
    const label = name(from);
    await move(from, to);
    const now = rows();
    if (now[to]) now[to].focus({ preventScroll: false });
    announce(`Moved ${label} to position ${to + 1} of ${now.length}`);
  }

  container.addEventListener('keydown', (e) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    const row = e.target.closest && e.target.closest(rowSelector);
    if (!row || row !== e.target) return;
    e.preventDefault();
    const from = rows().indexOf(row);
    moveTo(from, from + (e.key === 'ArrowUp' ? -1 : 1));
  });

  const clearMarks = () => container.querySelectorAll('.drop-target, .dragging').forEach((r) => r.classList.remove('drop-target', 'dragging'));
  container.addEventListener('dragstart', (e) => {
    const row = e.target.closest && e.target.closest(rowSelector);
    if (!row) return;
    dragFrom = rows().indexOf(row);
    row.classList.add('dragging');
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', String(dragFrom));
  });
  container.addEventListener('dragover', (e) => {
    const row = dragFrom >= 0 && e.target.closest && e.target.closest(rowSelector);
    if (!row) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    container.querySelectorAll('.drop-target').forEach((r) => { if (r !== row) r.classList.remove('drop-target'); });
    row.classList.add('drop-target');
  });
  container.addEventListener('drop', (e) => {
    const row = dragFrom >= 0 && e.target.closest && e.target.closest(rowSelector);
    if (!row) return;
    e.preventDefault();
    const from = dragFrom;
    dragFrom = -1;
    clearMarks();
    moveTo(from, rows().indexOf(row));
  });
  container.addEventListener('dragend', () => { dragFrom = -1; clearMarks(); });

  return { moveBy: (from, delta) => moveTo(from, from + delta) };
}
