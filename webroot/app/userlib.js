// The listener's own marks: stars on songs, albums and artists, 1–5 ratings, play counts. The
// server adds them to every listing (starred, rating, playCount); a change made here is kept in
// `known` so every control showing the same item (a row, the album header, the player bar)
// follows at once, without reloading the view.
import { h } from './dom.js';
import { request } from './api.js';
import { app } from './state.js';
import { toast, errorMessage } from './ui.js';

const enc = encodeURIComponent;

function paged(p) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(p || {})) if (v != null) u.set(k, String(v));
  const s = u.toString();
  return s ? '?' + s : '';
}

export const mine = {
  home: () => request('GET', '/api/home'),
  favourites: (p) => request('GET', '/api/favourites' + paged(p)),
  history: (p) => request('GET', '/api/history' + paged(p)),
  star: (kind, id) => request('PUT', `/api/favourites/${kind}/${enc(id)}`),
  unstar: (kind, id) => request('DELETE', `/api/favourites/${kind}/${enc(id)}`),
  rate: (songId, rating) => (rating
    ? request('PUT', '/api/ratings/' + enc(songId), { rating })
    : request('DELETE', '/api/ratings/' + enc(songId))),
  played: (songId) => request('POST', '/api/plays', { songId }),
};

// kind ('songs' | 'albums' | 'artists') + ':' + id → the marks changed since the views loaded.
const known = new Map();

export function markOf(kind, item, key) {
  const k = known.get(kind + ':' + item.id);
  return k && key in k ? k[key] : item[key];
}

// cause: 'change' for a change made in this tab (other tabs hear of it, see tabs.js), 'other-tab'
// for one heard from another tab, 'server' for what a fresh listing said.
export function remember(kind, id, key, value, cause = 'change') {
  const k = known.get(kind + ':' + id) || {};
  k[key] = value;
  known.set(kind + ':' + id, k);
  app.emit('marks-changed', { kind, id, key, value, cause });
}

// Calls render() whenever this item's marks change, for as long as el is on the page.
function follow(el, kind, id, render) {
  const off = app.on('marks-changed', (e) => {
    if (!el.isConnected) { off(); return; }
    if (e.detail.kind === kind && e.detail.id === id) render();
  });
}

const STAR = 'M12 2.5l2.94 6.1 6.56.86-4.8 4.6 1.2 6.54L12 17.4l-5.9 3.2 1.2-6.54-4.8-4.6 6.56-.86z';
const STAR_OUTLINE = 'M12 2.5l2.94 6.1 6.56.86-4.8 4.6 1.2 6.54L12 17.4l-5.9 3.2 1.2-6.54-4.8-4.6 6.56-.86zm0 4.6-1.6 3.33-3.6.47 2.63 2.52-.66 3.58L12 15.24l3.23 1.76-.66-3.58 2.63-2.52-3.6-.47z';

function starIcon(filled) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS(svg.namespaceURI, 'path');
  path.setAttribute('d', filled ? STAR : STAR_OUTLINE);
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('fill-rule', 'evenodd');
  svg.appendChild(path);
  return svg;
}

// A toggle button: aria-pressed says whether the item is a favourite, the name says what a press does.
export function starToggle(kind, item, cls = '') {
  const btn = h('button', { type: 'button', class: ('icon-btn star-toggle ' + cls).trim(), 'data-testid': 'star-toggle' });
  const render = () => {
    const on = !!markOf(kind, item, 'starred');
    const label = on ? 'Remove from favourites' : 'Add to favourites';
    btn.setAttribute('aria-pressed', String(on));
    btn.setAttribute('aria-label', label);
    btn.title = label;
    btn.classList.toggle('active', on);
    btn.replaceChildren(starIcon(on));
  };
  btn.addEventListener('click', async (e) => {
    e.stopPropagation();
    e.preventDefault();
    const on = !markOf(kind, item, 'starred');
    remember(kind, item.id, 'starred', on); // shown at once; put back if the server refuses
    try {
      await (on ? mine.star(kind, item.id) : mine.unstar(kind, item.id));
      app.emit('favourites-changed', { kind, id: item.id });
    } catch (ex) {
      remember(kind, item.id, 'starred', !on);
      toast(`Cannot ${on ? 'add to' : 'remove from'} favourites: ${errorMessage(ex)}`, 'error');
    }
  });
  render();
  follow(btn, kind, item.id, render);
  return btn;
}

// One rating write per song at a time, the last value wins: arrow keys may change it faster
// than the server answers, and two writes in flight could land in either order.
const ratingWrites = new Map(); // songId → {wanted, busy}

// before: the rating the server has, as far as this page knows (taken before the page showed value).
async function saveRating(song, value, before) {
  const w = ratingWrites.get(song.id) || { busy: false, wanted: null, saved: before };
  ratingWrites.set(song.id, w);
  w.wanted = value;
  if (w.busy) return;
  w.busy = true;
  try {
    while (w.wanted !== w.saved) {
      const next = w.wanted;
      try {
        await mine.rate(song.id, next);
        w.saved = next;
      } catch (ex) {
        toast(`Cannot save the rating: ${errorMessage(ex)}`, 'error');
        remember('songs', song.id, 'rating', w.saved);
        w.wanted = w.saved;
      }
    }
  } finally {
    w.busy = false;
  }
}

const STARS = [1, 2, 3, 4, 5];

// A radio group of five stars (one tab stop): arrows, Home/End or 1–5 choose and save,
// Delete, Backspace or 0 clear; a click on the chosen star clears it too.
export function ratingControl(song, testid = 'rating') {
  const group = h('div', { role: 'radiogroup', class: 'rating', 'aria-label': 'Rating', 'data-testid': testid });
  const stars = STARS.map((n) => h('span', {
    role: 'radio', class: 'rating-star', 'data-value': String(n), 'aria-label': n === 1 ? '1 star' : `${n} stars`,
    onclick: (e) => { e.stopPropagation(); choose(current() === n ? 0 : n, false); },
  }, starIcon(true)));
  group.append(...stars);
  const current = () => markOf('songs', song, 'rating') || 0;
  const render = () => {
    const r = current();
    stars.forEach((s, i) => {
      const n = i + 1;
      s.setAttribute('aria-checked', String(n === r));
      s.classList.toggle('on', n <= r);
      s.tabIndex = (r ? n === r : n === 1) ? 0 : -1;
    });
    group.title = r ? `Rated ${r} of 5` : 'Not rated';
    group.classList.toggle('is-rated', r > 0);
  };
  function choose(value, keepFocus) {
    const before = current();
    if (value === before) return;
    remember('songs', song.id, 'rating', value);
    saveRating(song, value, before);
    if (keepFocus) stars[Math.max(0, value - 1)].focus();
  }
  group.addEventListener('keydown', (e) => {
    const r = current();
    const focused = stars.indexOf(document.activeElement) + 1 || r || 1;
    let value = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowUp') value = Math.min(5, (r || focused - 1) + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') value = Math.max(1, (r || 2) - 1);
    else if (e.key === 'Home') value = 1;
    else if (e.key === 'End') value = 5;
    else if (e.key === ' ' || e.key === 'Enter') value = focused;
    else if (e.key === 'Delete' || e.key === 'Backspace' || e.key === '0') value = 0;
    else if (/^[1-5]$/.test(e.key)) value = Number(e.key);
    if (value == null) return;
    e.preventDefault();
    e.stopPropagation();
    choose(value, true);
  });
  group.addEventListener('click', (e) => e.stopPropagation());
  group.addEventListener('dblclick', (e) => e.stopPropagation());
  render();
  follow(group, 'songs', song.id, render);
  return group;
}

// Records one play of the song (see scrobble.js for when) and counts it here at once.
export async function recordPlay(song) {
  await mine.played(song.id);
  remember('songs', song.id, 'playCount', (markOf('songs', song, 'playCount') || 0) + 1);
}

// The play count of a song as this listener last heard it.
export function playCount(song) {
  const el = h('span', { class: 'play-count', 'data-testid': 'play-count' });
  const render = () => {
    const n = markOf('songs', song, 'playCount') || 0;
    el.textContent = String(n);
    el.title = n === 1 ? 'Played once' : `Played ${n} times`;
  };
  render();
  follow(el, 'songs', song.id, render);
  return el;
}

// The player bar's star and rating for whatever is playing.
export function nowPlayingMarks() {
  const el = h('div', { class: 'now-marks', 'data-testid': 'now-marks' });
  let shown = null;
  function show(song) {
    if (song && shown && song.id === shown.id) return;
    shown = song;
    el.replaceChildren(...(song ? [starToggle('songs', song, 'now-star'), ratingControl(song, 'now-rating')] : []));
    if (song) refresh(song);
  }
  // A queue restored after a reload holds the song as it was then: ask for its marks as they are now.
  async function refresh(song) {
    const keys = ['starred', 'rating', 'playCount'];
    const before = keys.map((key) => markOf('songs', song, key));
    let now;
    try { now = await request('GET', '/api/songs/' + enc(song.id)); } catch { return; }
    keys.forEach((key, i) => {
      const here = markOf('songs', song, key);
      // A change made here meanwhile is newer than the answer.
      if (now && key in now && here === before[i] && now[key] !== here) remember('songs', song.id, key, now[key], 'server');
    });
  }
  return { el, show };
}
