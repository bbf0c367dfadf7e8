// Play all / Shuffle all: the whole list the server describes, not only the rows loaded so far.
// The server answers every id of the list (/api/songs/ids, same filters as /api/songs); the
// songs themselves come 100 at a time (/api/songs?ids=), a few requests at once, so a
// 5,000-song queue costs 50 small requests and no row rendering.
import { h, icon } from './dom.js';
import { api } from './api.js';
import { app } from './state.js';
import { toast, errorMessage } from './ui.js';

const BATCH = 100; // the server's limit per call
const PARALLEL = 4;

export function shuffled(list) {
  const a = list.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

async function songsOf(ids) {
  const batches = [];
  for (let i = 0; i < ids.length; i += BATCH) batches.push(ids.slice(i, i + BATCH));
  const out = new Array(batches.length);
  let next = 0;
  async function worker() {
    while (next < batches.length) {
      const at = next++;
      const res = await api.songsByIds(batches[at]);
      out[at] = (res && res.items) || [];
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, batches.length) }, worker));
  return out.flat();
}

// filters: what /api/songs takes (q, genre, year, decade, artistId, sort, order).
export async function playAll(filters, shuffle = false) {
  try {
    const res = await api.songIds(filters);
    const ids = (res && res.ids) || [];
    if (!ids.length) { toast('No songs to play'); return; }
    const songs = await songsOf(shuffle ? shuffled(ids) : ids);
    if (!songs.length) { toast('No songs to play'); return; }
    app.player.playList(songs, 0);
    toast(`Playing ${songs.length} song${songs.length === 1 ? '' : 's'}${shuffle ? ', shuffled' : ''}` + (res.truncated ? ' (the first 10,000)' : ''));
  } catch (e) { toast(`Cannot play all: ${errorMessage(e)}`, 'error'); }
}

// The Play all and Shuffle all buttons of a view; filters() is read at the click, so a changed
// sort order is honoured.
export function playAllButtons(filters, what = 'all') {
  return h('div', { class: 'action-bar' },
    h('button', { class: 'big-play', type: 'button', title: 'Play ' + what, 'aria-label': 'Play ' + what, 'data-testid': 'play-all',
      onclick: () => playAll(filters(), false) }, icon('play')),
    h('button', { class: 'icon-btn icon-btn-lg', type: 'button', title: 'Shuffle ' + what, 'aria-label': 'Shuffle ' + what, 'data-testid': 'shuffle-all',
      onclick: () => playAll(filters(), true) }, icon('shuffle')));
}
