// "Skip to content": the first thing Tab reaches, shown only while focused. It moves focus into the
// view (its heading) without touching the hash, which is the router's.
import { h } from './dom.js';

export function skipLink(content) {
  return h('a', { class: 'skip-link', href: '#content', 'data-testid': 'skip-link', onclick: (e) => {
    e.preventDefault();
    const target = content.querySelector('h1') || content;
    if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
    target.focus();
  } }, 'Skip to content');
}
