// Playlists: list of the caller's playlists and a playlist page.
import { h, icon, gradientFor, fmtDuration } from '../dom.js';
import { api } from '../api.js';
import { app, routes, go } from '../state.js';
import { reorderable } from '../reorder.js';
import { paintHero, meanStop } from '../contrast.js';
import {
  songList, pageHeader, emptyState, spinner, errorBox, plural, toast, errorMessage,
  confirmDialog, promptDialog, refreshPlaylists, newPlaylistWith,
} from '../ui.js';

// "owner" may be the owner's id or name: show our own name for our playlists.
function ownerName(owner) {
  const u = app.user;
  if (!owner || (u && (owner === u.id || owner === u.username))) return (u && u.username) || '';
  return String(owner);
}

function playlistCard(pl) {
  return h('a', { class: 'card', href: routes.playlist(pl.id), 'data-testid': 'playlist-card' },
    h('div', { class: 'card-art' }, h('div', { class: 'cover', style: { backgroundImage: gradientFor('pl' + pl.id) } }, icon('playlist', 'cover-note'))),
    h('div', { class: 'card-title' }, pl.name || 'Untitled'),
    h('div', { class: 'card-sub' }, plural(pl.songCount, 'song')));
}

export async function playlistsView(root, params, ctx) {
  const newBtn = h('button', { class: 'btn btn-primary', type: 'button', 'data-testid': 'new-playlist', onclick: async () => {
    const pl = await newPlaylistWith([]);
    if (pl && pl.id) go(routes.playlist(pl.id));
  } }, icon('plus'), 'New playlist');
  root.append(pageHeader('Playlists', null, newBtn), spinner());
  const list = await refreshPlaylists('load');
  if (!ctx.alive()) return;
  root.lastChild.remove();
  root.append(list.length
    ? h('div', { class: 'grid', 'data-testid': 'playlists-grid' }, list.map(playlistCard))
    : emptyState('playlist', 'Create your first playlist', 'Use the ⋯ menu on any song to add it to a playlist.'));
}

export async function playlistView(root, params, ctx) {
  root.append(spinner());
  let pl;
  try { pl = await api.playlist(params[0]); } catch (e) { if (ctx.alive()) root.replaceChildren(errorBox(e)); return; }
  if (!ctx.alive()) return;
  // Moves show at once and are saved one after the other (each PUT sends the whole order then);
  // a refused one says why and shows what the server has.
  let saving = Promise.resolve();
  const saveOrder = (ids) => {
    root.dataset.saving = 'true';
    saving = saving.then(() => api.updatePlaylist(pl.id, { songIds: ids }))
      .catch(async (e) => {
        // A song in the new order was deleted from the library meanwhile (the server names its id).
        const gone = e.status === 400 && /^no song with id /.test(e.message);
        toast(`Cannot reorder “${pl.name}”: ${gone ? 'a song in it was deleted meanwhile; here is the playlist as it is now' : errorMessage(e)}`, 'error');
        try { pl = await api.playlist(pl.id); } catch { /* the page keeps what it shows */ }
        if (ctx.alive()) render();
      })
      .finally(() => { root.dataset.saving = 'false'; });
  };
  const order = reorderable(root, {
    rowSelector: '.song-row',
    name: (i) => `“${(pl.songs[i] && pl.songs[i].title) || 'Untitled'}”`,
    move: (from, to) => {
      const songs = pl.songs.slice();
      songs.splice(to, 0, songs.splice(from, 1)[0]);
      pl = { ...pl, songs };
      render();
      saveOrder(songs.map((s) => s.id));
    },
  });
  const render = () => {
    const songs = pl.songs || [];
    const total = songs.reduce((s, x) => s + (x.duration || 0), 0);
    const title = h('h1', { class: 'hero-title', 'data-testid': 'playlist-title' }, pl.name || 'Untitled');
    const list = songList({
      showAlbum: true, showCover: true, testid: 'playlist-songs',
      onRemove: async (song) => {
        const ids = songs.map((s) => s.id);
        const at = songs.indexOf(song);
        if (at >= 0) ids.splice(at, 1);
        try {
          const updated = await api.updatePlaylist(pl.id, { songIds: ids });
          pl = { ...pl, ...(updated || {}), songs: songs.filter((_, i) => i !== at) };
          toast('Removed from playlist');
          refreshPlaylists();
          if (ctx.alive()) render();
        } catch (e) { toast(errorMessage(e), 'error'); }
      },
      moveItems: (song) => {
        const at = songs.indexOf(song);
        return [
          at > 0 ? { label: 'Move up', icon: 'up', testid: 'menu-move-up', onClick: () => order.moveBy(at, -1) } : null,
          at >= 0 && at < songs.length - 1 ? { label: 'Move down', icon: 'down', testid: 'menu-move-down', onClick: () => order.moveBy(at, 1) } : null,
        ].filter(Boolean);
      },
    });
    list.add(songs);
    for (const r of list.body.querySelectorAll('.song-row')) {
      r.draggable = true;
      r.title = 'Alt+↑ / Alt+↓ or drag to move';
      r.setAttribute('aria-keyshortcuts', 'Alt+ArrowUp Alt+ArrowDown');
    }
    const rename = async () => {
      const name = await promptDialog('Rename playlist', 'Playlist name', pl.name || '');
      if (!name) return;
      try { await api.updatePlaylist(pl.id, { name }); pl.name = name; refreshPlaylists(); if (ctx.alive()) render(); } catch (e) { toast(errorMessage(e), 'error'); }
    };
    const del = async () => {
      if (!(await confirmDialog('Delete playlist?', `“${pl.name}” will be deleted. Songs stay in the library.`))) return;
      try { await api.deletePlaylist(pl.id); toast('Playlist deleted'); await refreshPlaylists(); go('#/playlists'); } catch (e) { toast(errorMessage(e), 'error'); }
    };
    root.replaceChildren(
      h(paintHero(h('section', { class: 'hero' }), meanStop(gradientFor('pl' + pl.id))), null,
        h('div', { class: 'cover cover-hero', style: { backgroundImage: gradientFor('pl' + pl.id) } }, icon('playlist', 'cover-note')),
        h('div', { class: 'hero-text' },
          h('div', { class: 'eyebrow' }, 'Playlist'), title,
          h('div', { class: 'hero-meta' }, h('strong', null, ownerName(pl.owner)), ' · ' + plural(songs.length, 'song'), total ? ', ' + fmtDuration(total) : ''))),
      h('div', { class: 'action-bar' },
        h('button', { class: 'big-play', type: 'button', title: 'Play', 'aria-label': 'Play playlist', 'data-testid': 'play-playlist', disabled: !songs.length, onclick: () => app.player.playList(songs, 0) }, icon('play')),
        h('button', { class: 'icon-btn icon-btn-lg', type: 'button', title: 'Shuffle play', 'aria-label': 'Shuffle play', disabled: !songs.length,
          onclick: () => app.player.playList(songs, Math.floor(Math.random() * songs.length)) }, icon('shuffle')),
        h('button', { class: 'btn btn-ghost', type: 'button', onclick: rename }, 'Rename'),
        h('button', { class: 'btn btn-ghost danger', type: 'button', 'data-testid': 'delete-playlist', onclick: del }, icon('trash'), 'Delete')),
      songs.length ? list.el : emptyState('song', 'This playlist is empty', 'Find songs with search, then use ⋯ → Add to playlist.'));
  };
  render();
}
