// Light and dark: the system's preference (prefers-color-scheme) until the listener picks one with
// the toggle; the pick is remembered. theme-boot.js applied it before the first paint.
import { h, icon } from './dom.js';

const KEY = 'dspot.theme';
const system = window.matchMedia('(prefers-color-scheme: light)');

export function currentTheme() { return document.documentElement.dataset.theme === 'light' ? 'light' : 'dark'; }

function apply(theme) {
  document.documentElement.dataset.theme = theme;
  const meta = document.querySelector('meta[name="theme-color"]');
  if (meta) meta.content = theme === 'light' ? '#ffffff' : '#121212';
  document.dispatchEvent(new CustomEvent('themechange', { detail: { theme } }));
}

system.addEventListener('change', () => { if (!localStorage.getItem(KEY)) apply(system.matches ? 'light' : 'dark'); });
// A choice made in another tab.
window.addEventListener('storage', (e) => { if (e.key === KEY) apply(e.newValue || (system.matches ? 'light' : 'dark')); });

export function setTheme(theme) {
  localStorage.setItem(KEY, theme);
  apply(theme);
}

// An icon button that switches to the other theme; its name says which one it turns on.
export function themeToggle() {
  const btn = h('button', { class: 'icon-btn', type: 'button', 'data-testid': 'theme-toggle' });
  const render = () => {
    const next = currentTheme() === 'light' ? 'dark' : 'light';
    btn.replaceChildren(icon(next === 'light' ? 'sun' : 'moon'));
    btn.setAttribute('aria-label', `Switch to ${next} theme`);
    btn.title = `Switch to ${next} theme`;
  };
  btn.addEventListener('click', () => setTheme(currentTheme() === 'light' ? 'dark' : 'light'));
  document.addEventListener('themechange', render);
  render();
  return btn;
}
