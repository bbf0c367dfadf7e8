// Browsing by genre and by year: the lists of genres and decades, and one view per genre, year
// or decade with its albums and songs (Play all / Shuffle all queue every song of it).
import { h, icon, gradientFor } from '../dom.js';
import { api } from '../api.js';
import { songList, pager, emptyState, spinner, errorBox, albumCard, plural, countOf } from '../ui.js';
import { playAllButtons } from '../playall.js';

export const browseRoutes = {
  genre: (name) => '#/genre/' + encodeURIComponent(name),
  year: (year) => '#/year/' + year,
  decade: (decade) => '#/decade/' + decade,
};

// A page that lists what one request answers: its title, then render(answer) once it came.
async function listPage(root, ctx, title, load, render) {
  const body = spinner();
  root.append(h('header', { class: 'page-header' }, h('h1', null, title)), body);
  let res;
  try { res = await load(); } catch (e) { if (ctx.alive()) body.replaceWith(errorBox(e)); return; }
  if (ctx.alive()) body.replaceWith(render((res && res.items) || []));
}

export function genresView(root, params, ctx) {
  return listPage(root, ctx, 'Genres', api.genres, (genres) => (genres.length
    ? h('div', { class: 'grid', 'data-testid': 'genres-grid' }, genres.map((g) =>
      h('a', { class: 'card card-genre', href: browseRoutes.genre(g.name), 'data-testid': 'genre-card' },
        h('div', { class: 'card-art genre-art', style: { backgroundImage: gradientFor('genre:' + g.name.toLowerCase()) } }, icon('genre')),
        h('div', { class: 'card-title', title: g.name }, g.name),
        h('div', { class: 'card-sub' }, plural(g.albumCount, 'album') + ' · ' + plural(g.songCount, 'song')))))
    : emptyState('genre', 'No genres yet', 'Genres come from the songs’ tags.')));
}

export function yearsView(root, params, ctx) {
  return listPage(root, ctx, 'Years', api.years, (decades) => (decades.length
    ? h('div', { class: 'decades', 'data-testid': 'decades' }, decades.map((d) =>
      h('section', { class: 'decade', 'data-testid': 'decade' },
        h('h2', { class: 'section-title' }, h('a', { class: 'link', href: browseRoutes.decade(d.decade), 'data-testid': 'decade-link' }, d.decade + 's'),
          h('span', { class: 'decade-count' }, ' · ' + plural(d.albumCount, 'album') + ' · ' + plural(d.songCount, 'song'))),
        h('div', { class: 'year-chips' }, d.years.map((y) =>
          h('a', { class: 'chip', href: browseRoutes.year(y.year), 'data-testid': 'year-link', title: plural(y.songCount, 'song') }, String(y.year)))))))
    : emptyState('year', 'No years yet', 'Years come from the songs’ tags.')));
}

export function genreView(root, params, ctx) {
  filteredView(root, ctx, 'Genre', params[0], { genre: params[0] });
}

export function yearView(root, params, ctx) {
  filteredView(root, ctx, 'Year', params[0], { year: params[0] });
}

export function decadeView(root, params, ctx) {
  filteredView(root, ctx, 'Decade', params[0] + 's', { decade: params[0] });
}

function filteredView(root, ctx, eyebrow, title, filters) {
  const sub = h('p', { class: 'page-sub', 'data-testid': 'browse-summary' });
  const albums = h('div', { class: 'grid grid-row', 'data-testid': 'browse-albums' });
  const albumsSection = h('section', { hidden: true }, h('h2', { class: 'section-title' }, 'Albums'), albums);
  const list = songList({ showAlbum: true, showCover: true, testid: 'browse-songs' });
  root.append(
    h('header', { class: 'page-header' }, h('div', { class: 'eyebrow' }, eyebrow), h('h1', { 'data-testid': 'browse-title' }, title), sub),
    playAllButtons(() => filters, eyebrow.toLowerCase()),
    albumsSection,
    h('h2', { class: 'section-title' }, 'Songs'), list.el);
  api.albums({ ...filters, limit: 50 }).then((res) => {
    if (!ctx.alive() || !res || !res.items.length) return;
    res.items.forEach((a) => albums.appendChild(albumCard(a)));
    albumsSection.hidden = false;
  }).catch((e) => { if (ctx.alive()) albumsSection.replaceChildren(errorBox(e)); });
  const p = pager({
    alive: ctx.alive,
    fetchPage: (offset, limit, after) => api.songs({ ...filters, ...(after ? { after } : { offset }), limit }),
    onFirst: (res) => {
      sub.textContent = countOf(res, 'song');
      if (!res.total) list.el.replaceWith(emptyState('song', 'No songs here', null));
    },
    render: (items) => list.add(items),
  });
  root.append(p.el);
}
