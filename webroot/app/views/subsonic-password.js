// The account page's "Subsonic apps" panel: whether an app password is set, generating or choosing
// one (the account password required; a generated one is shown this once), revoking it. Apps log in
// with it instead of the account password: see the README's Subsonic section for why.
import { h } from '../dom.js';
import { request } from '../api.js';
import { app } from '../state.js';
import { toast, errorMessage } from '../ui.js';

const PATH = '/api/account/subsonic-password';

export function subsonicPasswordPanel() {
  const status = h('p', { class: 'muted', 'data-testid': 'app-password-status' }, 'Checking…');
  const shown = h('div', { class: 'app-password-shown', 'data-testid': 'app-password-shown', hidden: true });
  const err = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'app-password-error' });
  const current = h('input', { class: 'input', type: 'password', name: 'app-current-password', placeholder: 'Current account password',
    'aria-label': 'Current account password', autocomplete: 'current-password', required: true, 'data-testid': 'app-current-password' });
  const chosen = h('input', { class: 'input', type: 'password', name: 'app-password', placeholder: 'App password (empty: generate one)',
    'aria-label': 'App password (empty: generate one)', autocomplete: 'new-password', 'data-testid': 'app-password-chosen' });
  const revoke = h('button', { class: 'btn', type: 'button', 'data-testid': 'app-password-revoke', hidden: true, onclick: async () => {
    err.textContent = '';
    try {
      await request('DELETE', PATH);
      shown.hidden = true;
      toast('App password revoked');
      await refresh();
    } catch (ex) { err.textContent = errorMessage(ex); }
  } }, 'Revoke');

  async function refresh() {
    try {
      const s = await request('GET', PATH);
      status.textContent = s.set ? `An app password is set (since ${new Date(s.setAt).toLocaleString()}).` : 'No app password yet: apps cannot log in.';
      revoke.hidden = !s.set;
    } catch (ex) { status.textContent = errorMessage(ex); }
  }

  const form = h('form', { class: 'login-form account-form', 'data-testid': 'app-password-form', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    shown.hidden = true;
    try {
      const body = { currentPassword: current.value };
      if (chosen.value) body.password = chosen.value;
      const answer = await request('PUT', PATH, body);
      form.reset();
      shown.replaceChildren(
        answer.password ? h('p', {}, 'Your new app password (shown only now; copy it into your app):') : null,
        answer.password ? h('code', { 'data-testid': 'app-password-value' }, answer.password) : null,
        h('p', {}, 'Or, for apps that take an API key (OpenSubsonic), this key; it stops working with this password:'),
        h('code', { 'data-testid': 'app-password-api-key' }, answer.apiKey));
      shown.hidden = false;
      toast('App password set');
      await refresh();
    } catch (ex) { err.textContent = errorMessage(ex); }
  } }, current, chosen, h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'app-password-set' }, 'Set app password'));

  refresh();
  return h('section', { class: 'panel' }, h('h2', { class: 'section-title' }, 'Subsonic apps'),
    h('p', { class: 'muted' }, `Music apps that speak Subsonic (DSub, Symfonium, Ultrasonic, Feishin…) connect to ${location.origin}/ `
      + `as ${app.user.username} with an app password, never your account password. Revoking it logs every app out.`),
    status, form, revoke, shown, err);
}
