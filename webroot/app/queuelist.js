// The play queue as a list (the queue panel and the now-playing view): a click or Enter plays a
// row, Remove takes it out, and rows move by keyboard, by their menu and by drag (reorder.js);
// the track that plays stays current wherever it goes.
import { h, icon, fmtTime } from './dom.js';
import { songCover, showMenu } from './ui.js';
import { reorderable } from './reorder.js';

export function queueList(player, testid = 'queue-list') {
  const list = h('ol', { class: 'queue-list', 'data-testid': testid });
  const order = reorderable(list, {
    rowSelector: '.queue-item',
    move: (from, to) => { player.move(from, to); },
    name: (i) => `“${(player.queue[i] && player.queue[i].title) || 'Untitled'}”`,
  });

  function menu(anchor, i) {
    const last = player.queue.length - 1;
    showMenu(anchor, [
      i > 0 ? { label: 'Move up', icon: 'up', testid: 'menu-move-up', onClick: () => order.moveBy(i, -1) } : null,
      i < last ? { label: 'Move down', icon: 'down', testid: 'menu-move-down', onClick: () => order.moveBy(i, 1) } : null,
      { label: 'Remove from queue', icon: 'close', onClick: () => player.remove(i) },
    ].filter(Boolean));
  }

  function item(s, i) {
    const more = h('button', { class: 'icon-btn', type: 'button', title: 'More', 'aria-label': 'More options', 'data-testid': 'queue-more',
      onclick: (e) => { e.stopPropagation(); menu(more, i); } }, icon('more'));
    return h('li', {
      class: 'queue-item' + (i === player.index ? ' is-current' : ''), 'data-testid': 'queue-item', 'data-song-id': s.id,
      tabindex: '0', draggable: 'true', 'aria-current': i === player.index ? 'true' : null,
      title: 'Alt+↑ / Alt+↓ or drag to move', 'aria-keyshortcuts': 'Alt+ArrowUp Alt+ArrowDown',
      onclick: () => player.jump(i), onkeydown: (e) => { if (e.key === 'Enter' && e.target === e.currentTarget) player.jump(i); },
    },
    songCover(s),
    h('div', { class: 'queue-text' }, h('div', { class: 'queue-title' }, s.title || 'Untitled', s.demo ? h('span', { class: 'badge badge-demo' }, 'demo') : null), h('div', { class: 'queue-artist' }, s.artist || '')),
    h('span', { class: 'queue-dur' }, fmtTime(s.duration)),
    more,
    h('button', { class: 'icon-btn', type: 'button', title: 'Remove', 'aria-label': 'Remove from queue', 'data-testid': 'queue-remove',
      onclick: (e) => { e.stopPropagation(); player.remove(i); } }, icon('close')));
  }

  function render() {
    const items = player.queue.map(item);
    list.replaceChildren(...(items.length ? items : [h('li', { class: 'queue-empty' }, 'The queue is empty. Play an album or add songs with +.')]));
  }
  return { el: list, render };
}
