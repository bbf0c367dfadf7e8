// Sortable song lists: the order lives in the view's address (#/songs?sort=year&order=desc), so
// a reload, Back and a shared link keep it. The column headers that have a sort key are buttons
// (click, Enter or Space) and carry aria-sort; a "Sort by" list offers every key.
import { h } from './dom.js';

export const SORTS = [
  { key: 'title', label: 'Title' },
  { key: 'artist', label: 'Artist' },
  { key: 'album', label: 'Album' },
  { key: 'year', label: 'Year' },
  { key: 'duration', label: 'Duration' },
  { key: 'added', label: 'Date added' },
];
const KEYS = new Set(SORTS.map((s) => s.key));
// The song list's header cells and the key each sorts by.
const COLUMNS = [['.col-title', 'title'], ['.col-album', 'album'], ['.col-dur', 'duration']];

// From a view's query string; an unknown key is dropped, not sent (the server would refuse it).
export function parseSort(query) {
  const p = new URLSearchParams(query || '');
  const sort = KEYS.has(p.get('sort')) ? p.get('sort') : null;
  return { sort, order: sort && p.get('order') === 'desc' ? 'desc' : sort ? 'asc' : null };
}

export function sortQuery({ sort, order }) {
  return sort ? '?' + new URLSearchParams({ sort, order: order || 'asc' }).toString() : '';
}

// Turns the list's header into sort controls; onChange({sort, order}) when one is chosen.
export function sortableHead(listEl, state, onChange) {
  const head = listEl.querySelector('.song-list-head');
  head.querySelectorAll(':scope > div').forEach((cell) => cell.setAttribute('role', 'columnheader'));
  for (const [selector, key] of COLUMNS) {
    const cell = head.querySelector(selector);
    if (!cell) continue;
    const active = state.sort === key;
    cell.setAttribute('aria-sort', active ? (state.order === 'desc' ? 'descending' : 'ascending') : 'none');
    const label = SORTS.find((s) => s.key === key).label;
    const btn = h('button', { class: 'sort-btn' + (active ? ' is-active' : ''), type: 'button', 'data-testid': 'sort-' + key,
      title: 'Sort by ' + label.toLowerCase(),
      onclick: () => onChange({ sort: key, order: active && state.order === 'asc' ? 'desc' : 'asc' }) },
    ...(cell.childNodes.length ? [...cell.childNodes] : [label]),
    h('span', { class: 'sort-arrow', 'aria-hidden': 'true' }, active ? (state.order === 'desc' ? '▼' : '▲') : ''));
    cell.replaceChildren(btn);
  }
}

// "Sort by" for every key, the columns' included, and the direction.
export function sortPicker(state, onChange) {
  const select = h('select', { class: 'input sort-select', 'aria-label': 'Sort by', 'data-testid': 'sort-select',
    onchange: () => onChange({ sort: select.value || null, order: select.value ? state.order || 'asc' : null }) },
  h('option', { value: '' }, 'Artist, album, track'),
  ...SORTS.map((s) => h('option', { value: s.key, selected: state.sort === s.key }, s.label)));
  const dir = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'sort-order', disabled: !state.sort,
    'aria-label': state.order === 'desc' ? 'Descending; switch to ascending' : 'Ascending; switch to descending',
    onclick: () => onChange({ sort: state.sort, order: state.order === 'desc' ? 'asc' : 'desc' }) },
  state.order === 'desc' ? 'Descending' : 'Ascending');
  return h('div', { class: 'sort-picker' }, select, dir);
}
