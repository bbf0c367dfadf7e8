// Reusable UI pieces: toasts, dialogs, popup menus, cards, song lists, paging.
import { h, icon, clear, cover, fmtTime, gradientFor, initials } from './dom.js';
import { showMenu } from './menu.js';
import { returnFocusAndTrap } from './focus.js';
import { inkOnGradient } from './contrast.js';
import { api } from './api.js';
import { app, routes, go } from './state.js';
import { rememberAlbum, albumMeta } from './player.js';
import { download, songDownloadUrl, songDetails } from './downloads.js';
import { starToggle, ratingControl, playCount } from './userlib.js';

// ---------- toasts ----------
export function toast(message, kind = 'info') {
  let box = document.getElementById('toasts');
  if (!box) { box = h('div', { id: 'toasts', class: 'toasts', 'aria-live': 'polite' }); document.body.appendChild(box); }
  const t = h('div', { class: 'toast toast-' + kind, role: kind === 'error' ? 'alert' : 'status' }, message);
  box.appendChild(t);
  requestAnimationFrame(() => t.classList.add('show'));
  setTimeout(() => { t.classList.remove('show'); setTimeout(() => t.remove(), 300); }, kind === 'error' ? 5000 : 2600);
}

export function errorMessage(e) { return (e && e.message) || String(e); }

// ---------- dialogs ----------
let dialogs = 0;
export function dialog({ title, body, actions }) {
  const titleId = 'dialog-title-' + (++dialogs);
  const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': titleId });
  const close = () => { dlg.close(); };
  dlg.addEventListener('close', () => dlg.remove());
  dlg.addEventListener('click', (e) => { if (e.target === dlg) close(); });
  append(dlg, h('h2', { class: 'dialog-title', id: titleId }, title), body, h('div', { class: 'dialog-actions' }, actions(close)));
  returnFocusAndTrap(dlg);
  document.body.appendChild(dlg);
  dlg.showModal();
  return dlg;
}
function append(el, ...c) { for (const x of c) if (x) el.appendChild(x); }

export function confirmDialog(title, message, okLabel = 'Delete') {
  return new Promise((resolve) => {
    let result = false;
    const dlg = dialog({
      title,
      body: h('p', { class: 'dialog-text' }, message),
      actions: (close) => [
        h('button', { class: 'btn btn-ghost', type: 'button', onclick: close }, 'Cancel'),
        h('button', { class: 'btn btn-danger', type: 'button', 'data-testid': 'confirm-ok', onclick: () => { result = true; close(); } }, okLabel),
      ],
    });
    dlg.addEventListener('close', () => resolve(result));
  });
}

export function promptDialog(title, label, initial = '', okLabel = 'Save') {
  return new Promise((resolve) => {
    let result = null;
    const input = h('input', { class: 'input', type: 'text', value: initial, maxlength: 200, 'aria-label': label, placeholder: label, 'data-testid': 'prompt-input' });
    const err = h('div', { class: 'form-error' });
    const form = h('form', { class: 'dialog-form', onsubmit: (e) => {
      e.preventDefault();
      const v = input.value.trim();
      if (!v) { err.textContent = 'Please enter a name'; return; }
      result = v; dlg.close();
    } }, input, err);
    const dlg = dialog({
      title,
      body: form,
      actions: (close) => [
        h('button', { class: 'btn btn-ghost', type: 'button', onclick: close }, 'Cancel'),
        h('button', { class: 'btn btn-primary', type: 'button', 'data-testid': 'prompt-ok', onclick: () => form.requestSubmit() }, okLabel),
      ],
    });
    dlg.addEventListener('close', () => resolve(result));
    setTimeout(() => { input.focus(); input.select(); }, 0);
  });
}

// ---------- popup menu (menu.js) ----------
export { showMenu, closeMenu } from './menu.js';

// ---------- playlists helpers ----------
// cause: 'change' (made here: other tabs hear of it, see tabs.js), 'load' (only shown here), or
// 'other-tab' (made there).
export async function refreshPlaylists(cause = 'change') {
  try {
    const res = await api.playlists({ limit: 500 });
    app.playlists = (res && res.items) || [];
  } catch (e) {
    // The sidebar keeps what it showed.
    toast(`Cannot load your playlists: ${errorMessage(e)}`, 'error');
  }
  app.emit('playlists-changed', { cause });
  return app.playlists;
}

// opener: where focus goes back after the "already in" question (the menu that asked is gone by then).
export async function addToPlaylist(playlist, songs, opener) {
  let list = Array.isArray(songs) ? songs : [songs];
  try {
    const full = await api.playlist(playlist.id);
    const held = new Set((full.songs || []).map((s) => s.id));
    const already = list.filter((s) => held.has(s.id));
    if (already.length) {
      const choice = await alreadyInDialog(playlist, already, list.length);
      if (opener && opener.isConnected) opener.focus();
      if (choice === 'skip') list = list.filter((s) => !held.has(s.id));
      else if (choice !== 'add') return;
      if (!list.length) { toast(`Nothing added: already in ${playlist.name}`); return; }
    }
    const ids = (full.songs || []).map((s) => s.id).concat(list.map((s) => s.id));
    await api.updatePlaylist(playlist.id, { songIds: ids });
    toast(list.length === 1 ? `Added to ${playlist.name}` : `Added ${list.length} songs to ${playlist.name}`);
    refreshPlaylists();
    app.emit('playlist-updated', { id: playlist.id });
  } catch (e) { toast(errorMessage(e), 'error'); }
}

// Some of the songs are in the playlist already: 'add' (anyway), 'skip' (add only the others), or
// null (Escape: nothing). Skip has the focus: adding a copy is the choice to make on purpose.
function alreadyInDialog(playlist, already, total) {
  const names = already.slice(0, 3).map((s) => `“${s.title || 'Untitled'}”`).join(', ') + (already.length > 3 ? ', …' : '');
  const text = total === 1 ? `${names} is already in ${playlist.name}.`
    : `${already.length} of these ${total} songs are already in ${playlist.name}: ${names}.`;
  return new Promise((resolve) => {
    let result = null;
    let skip;
    const dlg = dialog({
      title: `Already in ${playlist.name}`,
      body: h('p', { class: 'dialog-text', 'data-testid': 'already-text' }, text),
      actions: (close) => [
        h('button', { class: 'btn btn-ghost', type: 'button', 'data-testid': 'already-add', onclick: () => { result = 'add'; close(); } }, 'Add anyway'),
        skip = h('button', { class: 'btn btn-primary', type: 'button', 'data-testid': 'already-skip', onclick: () => { result = 'skip'; close(); } },
          total === 1 ? 'Skip' : 'Skip duplicates'),
      ],
    });
    dlg.setAttribute('data-testid', 'already-dialog');
    skip.focus();
    dlg.addEventListener('close', () => resolve(result));
  });
}

export async function newPlaylistWith(songs) {
  const name = await promptDialog('New playlist', 'Playlist name', '', 'Create');
  if (!name) return null;
  try {
    const ids = (songs || []).map((s) => s.id);
    const pl = await api.createPlaylist(name, ids);
    toast(`Created playlist ${name}`);
    await refreshPlaylists();
    return pl;
  } catch (e) { toast(errorMessage(e), 'error'); return null; }
}

function songMenu(anchor, song, ctx) {
  const p = app.player;
  const items = [
    ...(songDetails(song) ? [{ header: songDetails(song) }] : []),
    { label: 'Play next', icon: 'play', onClick: () => { p.playNext(song); toast('Playing next'); } },
    { label: 'Add to queue', icon: 'queue', testid: 'menu-enqueue', onClick: () => { p.enqueue([song]); toast('Added to queue'); } },
    { sep: true },
    { header: 'Add to playlist' },
    ...app.playlists.map((pl) => ({ label: pl.name, icon: 'playlist', testid: 'menu-add-to-playlist', onClick: () => addToPlaylist(pl, song, anchor) })),
    { label: 'New playlist…', icon: 'plus', testid: 'menu-new-playlist', onClick: () => newPlaylistWith([song]) },
    { sep: true },
  ];
  items.push({ label: 'Download', icon: 'download', testid: 'menu-download', onClick: () => download(songDownloadUrl(song.id)) });
  if (song.albumId) items.push({ label: 'Go to album', icon: 'album', onClick: () => go(routes.album(song.albumId)) });
  if (song.artistId) items.push({ label: 'Go to artist', icon: 'artist', onClick: () => go(routes.artist(song.artistId)) });
  if (ctx.moveItems) items.push(...ctx.moveItems(song)); // a list that can be reordered: Move up / Move down
  if (ctx.onRemove) items.push({ label: 'Remove from this playlist', icon: 'close', testid: 'menu-remove-from-playlist', onClick: () => ctx.onRemove(song) });
  if (app.isAdmin) {
    items.push({ label: 'Delete from library', icon: 'trash', danger: true, onClick: async () => {
      if (!(await confirmDialog('Delete song?', `“${song.title || 'Untitled'}” will be removed from the library for everyone.`))) return;
      try { await api.deleteSong(song.id); toast('Song deleted'); app.emit('library-changed'); } catch (e) { toast(errorMessage(e), 'error'); }
    } });
  }
  showMenu(anchor, items);
}

// ---------- song list ----------
// opts: {showAlbum, showCover, showPlays, numbering: 'track'|'index', onRemove, testid}
export function songList(opts = {}) {
  const songs = [];
  const body = h('div', { class: 'song-list-body', role: 'rowgroup' });
  const head = h('div', { class: 'song-list-head', role: 'row' },
    h('div', { class: 'col-idx', role: 'columnheader' }, '#'),
    h('div', { class: 'col-title', role: 'columnheader' }, 'Title'),
    opts.showAlbum !== false ? h('div', { class: 'col-album', role: 'columnheader' }, 'Album') : h('div', { class: 'col-album', role: 'columnheader' }),
    h('div', { class: 'col-rating', role: 'columnheader' }, 'Rating'),
    h('div', { class: 'col-plays', role: 'columnheader' }, 'Plays'),
    h('div', { class: 'col-dur', title: 'Duration', role: 'columnheader' }, icon('clock'), h('span', { class: 'visually-hidden' }, 'Duration')),
    h('div', { class: 'col-actions', role: 'columnheader' }, h('span', { class: 'visually-hidden' }, 'Actions')));
  const el = h('div', { class: 'song-list' + (opts.showAlbum === false ? ' no-album' : '') + (opts.showPlays ? ' show-plays' : ''), role: 'table', 'data-testid': opts.testid || 'song-list' }, head, body);

  const playAt = (i) => {
    if (opts.onPlay) opts.onPlay(songs, i);
    else app.player.playList(songs, i);
  };

  function row(song, i) {
    const cur = app.player.current;
    const num = opts.numbering === 'track' && song.track ? song.track : i + 1;
    const playBtn = h('button', { class: 'row-play', type: 'button', 'data-testid': 'song-play', title: 'Play', 'aria-label': 'Play ' + (song.title || '') ,
      onclick: (e) => { e.stopPropagation(); if (app.player.current && app.player.current.id === song.id && songs[app.player.index] === song) app.player.toggle(); else playAt(i); } },
      icon('play', 'i-play'), icon('pause', 'i-pause'));
    const title = h('div', { class: 'song-title', 'data-testid': 'song-title' },
      h('span', { class: 'song-title-text' }, song.title || 'Untitled'),
      song.demo ? h('span', { class: 'badge badge-demo', 'data-testid': 'demo-badge', title: 'Demo track' }, 'demo') : null);
    const artist = song.artistId
      ? h('a', { class: 'song-artist link', href: routes.artist(song.artistId), onclick: (e) => e.stopPropagation() }, song.artist || 'Unknown artist')
      : h('span', { class: 'song-artist' }, song.artist || 'Unknown artist');
    const album = song.albumId
      ? h('a', { class: 'link', href: routes.album(song.albumId), onclick: (e) => e.stopPropagation() }, song.album || '')
      : h('span', null, song.album || '');
    const more = h('button', { class: 'icon-btn row-more', type: 'button', title: 'More', 'aria-label': 'More options', 'data-testid': 'song-more',
      onclick: (e) => { e.stopPropagation(); songMenu(more, song, opts); } }, icon('more'));
    const add = h('button', { class: 'icon-btn row-add', type: 'button', title: 'Add to queue', 'aria-label': 'Add to queue', 'data-testid': 'song-enqueue',
      onclick: (e) => { e.stopPropagation(); app.player.enqueue([song]); toast('Added to queue'); } }, icon('plus'));
    const r = h('div', {
      class: 'song-row' + (cur && cur.id === song.id ? ' is-current' : ''), role: 'row', tabindex: '0',
      'data-testid': 'song-row', 'data-song-id': song.id,
      ondblclick: () => playAt(i),
      onclick: () => { if (window.matchMedia('(max-width: 700px)').matches) playAt(i); },
      // Only the row's own Enter: on its buttons Enter presses the button.
      onkeydown: (e) => { if (e.key === 'Enter' && e.target === e.currentTarget) { e.preventDefault(); playAt(i); } },
    },
    h('div', { class: 'col-idx' }, h('span', { class: 'num' }, String(num)), h('span', { class: 'eq' }, h('i'), h('i'), h('i')), playBtn),
    h('div', { class: 'col-title' }, opts.showCover ? songCover(song) : null, h('div', { class: 'title-stack' }, title, artist)),
    h('div', { class: 'col-album' }, opts.showAlbum !== false ? album : null,
      h('span', { class: 'song-meta', 'data-testid': 'song-meta', title: songDetails(song) }, [song.year, song.genre].filter(Boolean).join(' · '))),
    h('div', { class: 'col-rating' }, ratingControl(song)),
    h('div', { class: 'col-plays' }, opts.showPlays ? playCount(song) : null),
    h('div', { class: 'col-dur' }, fmtTime(song.duration)),
    h('div', { class: 'col-actions' }, starToggle('songs', song, 'row-star'), add, more));

    // Each column is a cell of the song table (a row of role=row holds cells, for screen readers).
    for (const cell of r.children) cell.setAttribute('role', 'cell');
    return r;
  }

  function add(list, discHeaders = false) {
    let lastDisc = songs.length ? songs[songs.length - 1].disc : null;
    const multiDisc = discHeaders && new Set(list.map((s) => s.disc || 1)).size > 1;
    for (const s of list) {
      if (multiDisc && (s.disc || 1) !== lastDisc) {
        body.appendChild(h('div', { class: 'disc-header', role: 'row' }, h('div', { role: 'cell' }, icon('album'), 'Disc ' + (s.disc || 1))));
      }
      lastDisc = s.disc || 1;
      const i = songs.length;
      songs.push(s);
      body.appendChild(row(s, i));
    }
  }
  return { el, add, songs, body };
}

// Small cover for a song row: placeholder first, the album's cover once its
// metadata (hasCover) is known (album metadata is cached per album).
export function songCover(song) {
  const box = cover({ albumId: song.albumId, title: song.album }, 'cover cover-xs');
  if (song.albumId) {
    albumMeta(song.albumId).then((album) => {
      if (album && album.hasCover && box.parentNode) box.replaceWith(cover(album, 'cover cover-xs'));
    });
  }
  return box;
}

// Mark the row of the playing song everywhere.
export function markCurrentRows() {
  const cur = app.player && app.player.current;
  const playing = app.player && app.player.playing;
  document.querySelectorAll('.song-row').forEach((r) => {
    const is = !!cur && r.dataset.songId === cur.id;
    r.classList.toggle('is-current', is);
    r.classList.toggle('is-playing', is && playing);
  });
  document.querySelectorAll('[data-album-id]').forEach((c) => {
    c.classList.toggle('is-current', !!cur && c.dataset.albumId === cur.albumId);
  });
}

// ---------- cards ----------
export async function playAlbum(albumId, shuffle = false) {
  try {
    const album = await api.album(albumId);
    rememberAlbum(album);
    const songs = album.songs || [];
    if (!songs.length) { toast('This album has no songs'); return; }
    app.player.playList(songs, shuffle ? Math.floor(Math.random() * songs.length) : 0);
  } catch (e) { toast(errorMessage(e), 'error'); }
}

export function albumCard(album) {
  rememberAlbum(album);
  const playBtn = h('button', { class: 'card-play', type: 'button', title: 'Play', 'aria-label': 'Play ' + (album.title || 'album'), 'data-testid': 'album-play',
    onclick: (e) => { e.preventDefault(); e.stopPropagation(); playAlbum(album.id); } }, icon('play'));
  return h('a', { class: 'card', href: routes.album(album.id), 'data-testid': 'album-card', 'data-album-id': album.id },
    h('div', { class: 'card-art' }, cover(album, 'cover'), playBtn),
    h('div', { class: 'card-title', title: album.title || '' }, album.title || 'Unknown album'),
    // A long artist name is cut, never the year after it.
    h('div', { class: 'card-sub card-sub-split' }, h('span', { class: 'card-sub-main' }, album.artist || 'Unknown artist'),
      album.year ? h('span', { class: 'card-sub-tail' }, ' · ' + album.year) : null));
}

export function artistCard(artist) {
  return h('a', { class: 'card card-artist', href: routes.artist(artist.id), 'data-testid': 'artist-card' },
    h('div', { class: 'card-art' }, h('div', { class: 'avatar', style: avatarLook(artist) }, initials(artist.name))),
    h('div', { class: 'card-title', title: artist.name || '' }, artist.name || 'Unknown artist'),
    h('div', { class: 'card-sub' }, plural(artist.albumCount, 'album') + ' · ' + plural(artist.songCount, 'song')));
}

// An artist's placeholder picture: its gradient, and initials in the ink that reads on it.
export function avatarLook(artist) {
  const g = gradientFor(artist.id || artist.name);
  return { backgroundImage: g, color: inkOnGradient(g) };
}

export function plural(n, word) {
  n = n || 0;
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// A page's "N songs": above the server's exact-count threshold the total is a lower bound ("1000+ songs").
export function countOf(page, word) {
  return page && page.totalExact === false ? `${page.total}+ ${word}s` : plural(page && page.total, word);
}

// ---------- misc ----------
export function pageHeader(title, sub, ...extra) {
  return h('header', { class: 'page-header' }, h('h1', null, title), sub ? h('p', { class: 'page-sub' }, sub) : null, ...extra);
}

export function emptyState(iconName, title, text, action) {
  return h('div', { class: 'empty', 'data-testid': 'empty' }, icon(iconName, 'empty-icon'), h('h3', null, title), text ? h('p', null, text) : null, action || null);
}

export function spinner() { return h('div', { class: 'spinner', role: 'progressbar', 'aria-label': 'Loading' }); }

export function errorBox(e, retry) {
  return h('div', { class: 'error-box', role: 'alert' }, h('p', null, errorMessage(e)),
    retry ? h('button', { class: 'btn btn-ghost', type: 'button', onclick: retry }, 'Retry') : null);
}

// Infinite scroll: fetchPage(offset, limit, after) -> {items,total,next?}; render(items).
// after is the previous page's next cursor when it gave one (song lists: the server walks its index
// from there instead of skipping offset rows).
// Returns {el, reset()}; el is the sentinel to put after the list.
export function pager({ fetchPage, render, alive, limit = 50, onFirst }) {
  let offset = 0; let total = Infinity; let loading = false; let done = false; let after;
  const sentinel = h('div', { class: 'sentinel' });
  const io = new IntersectionObserver((ents) => { if (ents.some((e) => e.isIntersecting)) load(); }, { rootMargin: '600px 0px' });
  async function load() {
    if (loading || done || !alive()) { if (!alive()) io.disconnect(); return; }
    loading = true;
    clear(sentinel).appendChild(spinner());
    try {
      const res = await fetchPage(offset, limit, after);
      if (!alive()) { io.disconnect(); return; }
      const items = (res && res.items) || [];
      total = res && Number.isFinite(res.total) ? res.total : offset + items.length;
      if (offset === 0 && onFirst) onFirst(res);
      offset += items.length;
      after = res && res.next;
      render(items);
      // Big lists answer a lower-bound total (totalExact false): hasMore says whether to go on.
      const more = res && typeof res.hasMore === 'boolean' ? res.hasMore : offset < total;
      if (!items.length || !more) { done = true; io.disconnect(); }
      clear(sentinel);
    } catch (e) {
      clear(sentinel).appendChild(errorBox(e, () => { loading = false; load(); }));
      loading = false;
      return;
    }
    loading = false;
    // If the sentinel is still visible (short page), keep loading.
    if (!done) requestAnimationFrame(() => {
      const r = sentinel.getBoundingClientRect();
      if (r.top < innerHeight + 600) load();
    });
  }
  setTimeout(() => { io.observe(sentinel); load(); }, 0);
  return { el: sentinel, get total() { return total; } };
}
