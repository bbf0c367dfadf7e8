// Search results (songs via /api/songs?q=, plus matching artists).
import { h } from '../dom.js';
import { api } from '../api.js';
import { songList, pager, emptyState, artistCard, plural } from '../ui.js';

export function searchView(root, params, ctx) {
  const q = (params[0] || '').trim();
  if (!q) {
    root.append(emptyState('search', 'Search your library', 'Find songs by title, artist or album. Press / to jump to the search box.'));
    return;
  }
  const sub = h('p', { class: 'page-sub', 'data-testid': 'search-summary' });
  const artistsRow = h('div', { class: 'grid grid-row' });
  const artistsSection = h('section', { class: 'search-artists', hidden: true }, h('h2', { class: 'section-title' }, 'Artists'), artistsRow);
  const list = songList({ showAlbum: true, showCover: true, testid: 'search-results' });
  root.append(h('header', { class: 'page-header' }, h('h1', null, 'Results for “', h('span', null, q), '”'), sub), artistsSection, h('h2', { class: 'section-title' }, 'Songs'), list.el);

  api.artists({ q, limit: 6 }).then((res) => {
    if (!ctx.alive() || !res || !res.items || !res.items.length) return;
    res.items.forEach((a) => artistsRow.appendChild(artistCard(a)));
    artistsSection.hidden = false;
  }).catch(() => {});

  const p = pager({
    alive: ctx.alive,
    fetchPage: (offset, limit) => api.songs({ q, offset, limit }),
    onFirst: (res) => {
      sub.textContent = plural(res.total, 'song');
      if (!res.total) list.el.replaceWith(emptyState('search', 'No songs found', 'Try another word, or fewer letters.'));
    },
    render: (items) => list.add(items),
  });
  root.append(p.el);
}
