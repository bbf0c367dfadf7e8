// The phone's navigation drawer (the sidebar off-canvas below 760 px): its button says whether it is
// open, opening it puts focus on its first link, Tab stays inside it while it is open, Escape closes
// it and gives focus back to the button.
// main.js and the router open and close it through body.nav-open; this follows that class.
import { h, icon } from './dom.js';
import { trapTab } from './focus.js';

export function drawerButton(sidebar) {
  if (!sidebar.id) sidebar.id = 'sidebar';
  const isOpen = () => document.body.classList.contains('nav-open');
  const btn = h('button', {
    class: 'icon-btn menu-btn', type: 'button', 'aria-label': 'Menu', 'aria-expanded': 'false', 'aria-controls': sidebar.id,
    'data-testid': 'menu-button', onclick: () => document.body.classList.toggle('nav-open'),
  }, icon('menu'));
  new MutationObserver(() => {
    const open = isOpen();
    if (btn.getAttribute('aria-expanded') === String(open) || !btn.isConnected) return;
    btn.setAttribute('aria-expanded', String(open));
    // The drawer becomes visible with the class (css/a11y.css): focus it on the next frame.
    if (open) requestAnimationFrame(() => { const first = sidebar.querySelector('a[href], button'); if (first) first.focus(); });
    else if (sidebar.contains(document.activeElement)) btn.focus();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  trapTab(sidebar, isOpen);
  sidebar.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && isOpen()) { e.preventDefault(); document.body.classList.remove('nav-open'); btn.focus(); }
  });
  return btn;
}
