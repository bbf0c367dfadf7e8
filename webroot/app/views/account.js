// Account page: change one's own password (the current one required; other sessions end).
import { h } from '../dom.js';
import { api } from '../api.js';
import { app } from '../state.js';
import { pageHeader, toast, errorMessage } from '../ui.js';
import { subsonicPasswordPanel } from './subsonic-password.js';

const field = (name, placeholder, autocomplete, testid) => h('input', {
  class: 'input', type: 'password', name, placeholder, 'aria-label': placeholder, autocomplete, required: true, 'data-testid': testid,
});

export function accountView(root) {
  const err = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'password-form-error' });
  const done = h('div', { class: 'muted', role: 'status', 'data-testid': 'password-form-done' });
  const current = field('current-password', 'Current password', 'current-password', 'current-password');
  const next = field('new-password', 'New password', 'new-password', 'new-password');
  const again = field('new-password-again', 'New password again', 'new-password', 'new-password-again');
  const form = h('form', { class: 'login-form account-form', 'data-testid': 'password-form', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    done.textContent = '';
    if (next.value !== again.value) { err.textContent = 'The two new passwords differ'; return; }
    try {
      await api.changePassword(current.value, next.value);
      form.reset();
      done.textContent = 'Password changed. Your other sessions were logged out.';
      toast('Password changed');
    } catch (ex) { err.textContent = errorMessage(ex); }
  } }, current, next, again,
  h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'change-password' }, 'Change password'));

  root.append(pageHeader('Account', `Logged in as ${app.user.username} (${app.user.role}).`),
    h('section', { class: 'panel' }, h('h2', { class: 'section-title' }, 'Change password'),
      h('p', { class: 'muted' }, 'At least 10 characters and not a commonly used password. Every other session of yours is logged out.'),
      form, err, done),
    subsonicPasswordPanel());
}
