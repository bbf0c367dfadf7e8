// Home: the default view. Recently added and random albums for everyone; recently played and
// most played from this listener's own plays (GET /api/home, fresh on every visit).
import { h } from '../dom.js';
import { app } from '../state.js';
import { mine } from '../userlib.js';
import { albumCard, songList, emptyState, spinner, errorBox } from '../ui.js';

function shelf(title, testid, body) {
  const id = 'home-' + testid;
  return h('section', { class: 'home-shelf', 'data-testid': id, 'aria-labelledby': id + '-title' },
    h('h2', { class: 'section-title', id: id + '-title' }, title), body);
}

function albums(list, emptyTitle, emptyText) {
  return list && list.length ? h('div', { class: 'grid home-grid' }, list.map(albumCard)) : emptyState('album', emptyTitle, emptyText);
}

export async function homeView(root, params, ctx) {
  root.append(h('header', { class: 'page-header' }, h('h1', null, 'Home')), spinner());
  let home;
  try { home = await mine.home(); } catch (e) { if (ctx.alive()) root.replaceChildren(errorBox(e)); return; }
  if (!ctx.alive()) return;
  const most = songList({ showAlbum: true, showCover: true, showPlays: true, testid: 'most-played-songs' });
  most.add(home.mostPlayed || []);
  root.replaceChildren(
    h('header', { class: 'page-header' }, h('h1', null, 'Home'), h('p', { class: 'page-sub' }, `Welcome back, ${app.user.username}`)),
    shelf('Recently added', 'recently-added', albums(home.recentlyAdded, 'Nothing here yet',
      app.isAdmin ? 'Upload music and it shows up here.' : 'Ask an admin to upload some music.')),
    shelf('Recently played', 'recently-played', albums(home.recentlyPlayed, 'Nothing played yet', 'Albums you listen to show up here.')),
    shelf('Most played', 'most-played', (home.mostPlayed || []).length ? most.el : emptyState('song', 'Nothing played yet', 'Your most played songs show up here.')),
    shelf('Random albums', 'random-albums', albums(home.randomAlbums, 'No albums yet', null)));
}
