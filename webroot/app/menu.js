// Popup menus (the WAI-ARIA menu button pattern): one open at a time, focus roves over its items
// with the arrow keys, Home and End; Escape closes it and gives focus back to the button that
// opened it, Tab closes it and goes on from that button, a click elsewhere just closes it.
import { h, icon } from './dom.js';

let open = null; // { menu, anchor }

export function closeMenu({ refocus = false } = {}) {
  if (!open) return;
  const { menu, anchor } = open;
  open = null;
  menu.remove();
  anchor.setAttribute('aria-expanded', 'false');
  if (refocus && anchor.isConnected) anchor.focus({ preventScroll: true });
}

document.addEventListener('pointerdown', (e) => { if (open && !open.menu.contains(e.target)) closeMenu(); }, true);
window.addEventListener('resize', () => closeMenu());
// The menu is placed where its button was: scrolling would leave it floating elsewhere.
document.addEventListener('scroll', (e) => { if (open && !open.menu.contains(e.target)) closeMenu(); }, true);

let groupIds = 0;

// items: [{label, icon?, onClick?, danger?, testid?, header?, sep?}]; a header starts a named group
// that runs to the next separator.
export function showMenu(anchor, items) {
  closeMenu();
  const menu = h('div', { class: 'menu', role: 'menu', 'data-testid': 'menu', 'aria-label': anchor.getAttribute('aria-label') || 'Menu' });
  let into = menu;
  for (const it of items) {
    if (it.sep) { into = menu; menu.appendChild(h('div', { class: 'menu-sep', role: 'separator' })); continue; }
    if (it.header) {
      const id = 'menu-group-' + (++groupIds);
      into = h('div', { role: 'group', 'aria-labelledby': id });
      into.appendChild(h('div', { class: 'menu-header', id, role: 'presentation' }, it.header));
      menu.appendChild(into);
      continue;
    }
    into.appendChild(h('button', {
      class: 'menu-item' + (it.danger ? ' danger' : ''), type: 'button', role: 'menuitem', tabindex: '-1',
      'data-testid': it.testid,
      onclick: (e) => { e.stopPropagation(); closeMenu({ refocus: true }); if (it.onClick) it.onClick(); },
    }, it.icon ? icon(it.icon) : null, h('span', null, it.label)));
  }
  menu.addEventListener('keydown', (e) => onKey(e, menu));
  document.body.appendChild(menu);
  place(menu, anchor);
  anchor.setAttribute('aria-haspopup', 'menu');
  anchor.setAttribute('aria-expanded', 'true');
  open = { menu, anchor };
  moveTo(menu, 0);
}

function itemsOf(menu) { return [...menu.querySelectorAll('[role="menuitem"]')]; }

// Roving tabindex: only the item that has focus is in the tab order.
function moveTo(menu, i) {
  const all = itemsOf(menu);
  if (!all.length) return;
  const at = (i + all.length) % all.length;
  all.forEach((it, n) => { it.tabIndex = n === at ? 0 : -1; });
  all[at].focus({ preventScroll: false });
}

function onKey(e, menu) {
  const all = itemsOf(menu);
  const now = all.indexOf(document.activeElement);
  const to = { ArrowDown: now + 1, ArrowUp: now - 1, Home: 0, End: all.length - 1 }[e.key];
  if (to !== undefined) { e.preventDefault(); e.stopPropagation(); moveTo(menu, to); return; }
  if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); closeMenu({ refocus: true }); return; }
  // Focus goes back to the button first, so the browser's own Tab moves on from there.
  if (e.key === 'Tab') closeMenu({ refocus: true });
}

function place(menu, anchor) {
  const r = anchor.getBoundingClientRect();
  const mw = menu.offsetWidth; const mh = menu.offsetHeight;
  let left = r.right - mw; let top = r.bottom + 4;
  if (left < 8) left = 8;
  if (left + mw > innerWidth - 8) left = innerWidth - mw - 8;
  if (top + mh > innerHeight - 8) top = Math.max(8, r.top - mh - 4);
  menu.style.left = left + 'px';
  menu.style.top = top + 'px';
}
