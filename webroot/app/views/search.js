// Search results, grouped: Artists and Albums (short lists) and Songs (paged), from /api/search;
// words match title, artist, album, genre and year. Play all queues every matching song.
import { h } from '../dom.js';
import { api } from '../api.js';
import { songList, pager, emptyState, artistCard, albumCard, countOf } from '../ui.js';
import { playAllButtons } from '../playall.js';

export function searchView(root, params, ctx) {
  const q = (params[0] || '').trim();
  if (!q) {
    root.append(emptyState('search', 'Search your library', 'Find songs by title, artist, album, genre or year. Press / to jump to the search box.'));
    return;
  }
  const sub = h('p', { class: 'page-sub', 'data-testid': 'search-summary' });
  const group = (title, testid) => {
    const row = h('div', { class: 'grid grid-row' });
    return { row, el: h('section', { class: 'search-group', hidden: true, 'data-testid': testid }, h('h2', { class: 'section-title' }, title), row) };
  };
  const artists = group('Artists', 'search-artists');
  const albums = group('Albums', 'search-albums');
  const list = songList({ showAlbum: true, showCover: true, testid: 'search-results' });
  const songs = h('section', { class: 'search-group', 'data-testid': 'search-songs' }, h('h2', { class: 'section-title' }, 'Songs'), list.el);
  root.append(h('header', { class: 'page-header' }, h('h1', null, 'Results for “', h('span', null, q), '”'), sub),
    playAllButtons(() => ({ q }), 'results'), artists.el, albums.el, songs);

  const fill = (g, items, card) => {
    if (!items || !items.length) return;
    items.forEach((x) => g.row.appendChild(card(x)));
    g.el.hidden = false;
  };
  const p = pager({
    alive: ctx.alive,
    // The first page comes grouped with the albums and artists; later pages are songs only.
    fetchPage: (offset, limit) => (offset === 0
      ? api.search({ q, limit }).then((res) => {
        if (ctx.alive()) { fill(artists, res.artists, artistCard); fill(albums, res.albums, albumCard); }
        return res.songs;
      })
      : api.songs({ q, offset, limit })),
    onFirst: (res) => {
      sub.textContent = countOf(res, 'song');
      if (!res.total) list.el.replaceWith(emptyState('search', 'No songs found', 'Try another word, or fewer letters.'));
    },
    render: (items) => list.add(items),
  });
  root.append(p.el);
}
