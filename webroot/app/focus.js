// Where keyboard focus goes when the page changes under it: into a new view's heading, back to
// the control that opened a dialog, and round and round inside an open dialog.

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), '
  + 'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

// After navigation: the view's heading (a screen reader reads where we are, Tab goes on from the
// top of the view). Leaves a text field alone, so typing in the search box is never cut off, and
// leaves the phone's drawer alone when it was opened while the view was still loading.
export function focusViewHeading(page, content) {
  if (document.body.classList.contains('nav-open')) return;
  const now = document.activeElement;
  if (now && now !== document.body && (now.matches('input, textarea, [contenteditable]') || now.closest('dialog[open], [role="menu"]'))) return;
  const heading = page.querySelector('h1');
  const target = heading || content;
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.focus({ preventScroll: true });
}

// A modal <dialog>: Tab and Shift+Tab wrap inside it, and when it closes focus returns to what had
// it before (when that is gone, as a menu item is, to the button that opened the menu: menu.js
// gives it focus before the item's action runs).
export function returnFocusAndTrap(dlg) {
  const opener = document.activeElement;
  trapTab(dlg, () => true);
  dlg.addEventListener('close', () => {
    if (opener && opener !== document.body && opener.isConnected) opener.focus({ preventScroll: true });
  });
}

// Tab and Shift+Tab wrap inside container while active() says so (a dialog, the phone's open drawer).
export function trapTab(container, active) {
  container.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab' || !active()) return;
    const all = [...container.querySelectorAll(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    if (!all.length) return;
    const first = all[0]; const last = all[all.length - 1];
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  });
}
