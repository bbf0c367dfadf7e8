// Favourites: the songs, albums and artists this listener starred, newest first.
import { h } from '../dom.js';
import { mine } from '../userlib.js';
import { albumCard, artistCard, songList, emptyState, spinner, errorBox, plural } from '../ui.js';

const MOST = 500;

export async function favouritesView(root, params, ctx) {
  root.append(h('header', { class: 'page-header' }, h('h1', null, 'Favourites')), spinner());
  let fav;
  try { fav = await mine.favourites({ limit: MOST }); } catch (e) { if (ctx.alive()) root.replaceChildren(errorBox(e)); return; }
  if (!ctx.alive()) return;
  const songs = fav.songs.items;
  const albums = fav.albums.items;
  const artists = fav.artists.items;
  const list = songList({ showAlbum: true, showCover: true, testid: 'favourite-songs' });
  list.add(songs);
  const section = (title, testid, items, body) => h('section', { 'data-testid': testid, 'aria-labelledby': testid + '-title' },
    h('h2', { class: 'section-title', id: testid + '-title' }, title), items.length ? body : h('p', { class: 'muted' }, `No ${title.toLowerCase()} starred yet.`));
  const total = fav.songs.total + fav.albums.total + fav.artists.total;
  const header = h('header', { class: 'page-header' }, h('h1', null, 'Favourites'),
    h('p', { class: 'page-sub' }, [plural(fav.songs.total, 'song'), plural(fav.albums.total, 'album'), plural(fav.artists.total, 'artist')].join(' · ')));
  if (!total) {
    root.replaceChildren(header, emptyState('song', 'No favourites yet', 'Press the star on a song, an album or an artist to keep it here.'));
    return;
  }
  root.replaceChildren(header,
    section('Songs', 'favourite-songs-section', songs, list.el),
    section('Albums', 'favourite-albums', albums, h('div', { class: 'grid' }, albums.map(albumCard))),
    section('Artists', 'favourite-artists', artists, h('div', { class: 'grid' }, artists.map(artistCard))));
}
