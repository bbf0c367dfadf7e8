// History: the songs this listener played, newest first (GET /api/history, one row per play, as
// recorded through the ordered log, so every node shows the same).
import { h } from '../dom.js';
import { mine } from '../userlib.js';
import { songList, pager, emptyState, plural } from '../ui.js';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function historyView(root, params, ctx) {
  const list = songList({ showAlbum: true, showCover: true, showPlays: true, testid: 'history-list' });
  const sub = h('p', { class: 'page-sub' });
  root.append(h('header', { class: 'page-header' }, h('h1', null, 'History'), sub), list.el);
  const p = pager({
    alive: ctx.alive,
    fetchPage: (offset, limit) => mine.history({ offset, limit }),
    onFirst: (res) => {
      sub.textContent = plural(res.total, 'play');
      if (!res.total) list.el.replaceWith(emptyState('song', 'Nothing played yet', 'Songs you listen to show up here, newest first.'));
    },
    // A play's time goes where the row shows the song's details, as its tooltip too.
    render: (plays) => {
      const before = list.songs.length;
      list.add(plays.map((play) => play.song));
      plays.forEach((play, i) => {
        const row = list.body.children[before + i];
        const at = when.format(new Date(play.playedAt));
        if (row) { row.title = 'Played ' + at; row.dataset.playedAt = play.playedAt; }
      });
    },
  });
  root.append(p.el);
}
