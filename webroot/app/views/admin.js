// Admin page: users (list, create, reset a password, delete) and the folder import.
import { h, icon } from '../dom.js';
import { api } from '../api.js';
import { app } from '../state.js';
import { pageHeader, spinner, errorBox, toast, errorMessage, confirmDialog, dialog } from '../ui.js';
import { importPanel } from './importpanel.js';

// Asks for a new password for `user` and sets it; the dialog stays open on a refusal (weak password...).
function resetPasswordDialog(user) {
  const input = h('input', { class: 'input', type: 'password', autocomplete: 'new-password', placeholder: 'New password',
    'aria-label': `New password for ${user.username}`, 'data-testid': 'reset-password-input' });
  const err = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'reset-password-error' });
  let dlg;
  const form = h('form', { class: 'dialog-form', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      await api.resetPassword(user.id, input.value);
      dlg.close();
      toast(`Password of ${user.username} reset; their sessions were logged out`);
    } catch (ex) { err.textContent = errorMessage(ex); }
  } }, h('p', { class: 'dialog-text' }, `${user.username} is logged out everywhere and logs in with the new password.`), input, err);
  dlg = dialog({
    title: 'Reset password',
    body: form,
    actions: (close) => [
      h('button', { class: 'btn btn-ghost', type: 'button', onclick: close }, 'Cancel'),
      h('button', { class: 'btn btn-primary', type: 'button', 'data-testid': 'reset-password-ok', onclick: () => form.requestSubmit() }, 'Reset'),
    ],
  });
  setTimeout(() => input.focus(), 0);
}

export async function adminView(root, params, ctx) {
  if (!app.isAdmin) { root.append(errorBox(new Error('Admins only'))); return; }
  const tbody = h('tbody');
  const table = h('table', { class: 'table', 'data-testid': 'users-table' },
    h('thead', null, h('tr', null, h('th', null, 'User'), h('th', null, 'Role'), h('th', null, 'Created'), h('th'))), tbody);

  const err = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'user-form-error' });
  const username = h('input', { class: 'input', name: 'username', placeholder: 'Username', required: true, autocomplete: 'off', 'data-testid': 'new-user-name' });
  const password = h('input', { class: 'input', name: 'password', type: 'password', placeholder: 'Password', required: true, autocomplete: 'new-password', 'data-testid': 'new-user-password' });
  const role = h('select', { class: 'input', name: 'role', 'aria-label': 'Role', 'data-testid': 'new-user-role' },
    h('option', { value: 'listener' }, 'Listener'), h('option', { value: 'admin' }, 'Admin'));
  const form = h('form', { class: 'inline-form', 'data-testid': 'new-user-form', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      await api.createUser({ username: username.value.trim(), password: password.value, role: role.value });
      toast(`User ${username.value.trim()} created`);
      username.value = ''; password.value = ''; role.value = 'listener';
      load();
    } catch (ex) { err.textContent = errorMessage(ex); }
  } }, username, password, role, h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'create-user' }, icon('plus'), 'Create user'));

  root.append(pageHeader('Admin', 'Manage who can listen and who can upload.'),
    h('section', { class: 'panel' }, h('h2', { class: 'section-title' }, 'New user'), form, err),
    h('section', { class: 'panel' }, h('h2', { class: 'section-title' }, 'Users'), table),
    importPanel(ctx));

  async function load() {
    tbody.replaceChildren(h('tr', null, h('td', { colspan: '4' }, spinner())));
    try {
      const res = await api.users({ limit: 500 });
      if (!ctx.alive()) return;
      tbody.replaceChildren(...(res.items || []).map((u) => {
        const self = app.user && u.id === app.user.id;
        return h('tr', { 'data-testid': 'user-row', 'data-user-id': u.id },
          h('td', null, h('span', { class: 'user-name' }, u.username), self ? h('span', { class: 'badge' }, 'you') : null),
          h('td', null, h('span', { class: 'badge badge-' + (u.role === 'admin' ? 'admin' : 'listener') }, u.role)),
          h('td', { class: 'muted' }, u.createdAt ? new Date(u.createdAt).toLocaleString() : ''),
          h('td', { class: 'right' }, self ? null : h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'reset-password',
            onclick: () => resetPasswordDialog(u) }, icon('key'), 'Reset password'),
          self ? null : h('button', { class: 'btn btn-ghost btn-sm danger', type: 'button', 'data-testid': 'delete-user',
            onclick: async () => {
              if (!(await confirmDialog('Delete user?', `${u.username} will lose access. Their playlists are deleted.`))) return;
              try { await api.deleteUser(u.id); toast('User deleted'); load(); } catch (ex) { toast(errorMessage(ex), 'error'); }
            } }, icon('trash'), 'Delete')));
      }));
    } catch (ex) { if (ctx.alive()) tbody.replaceChildren(h('tr', null, h('td', { colspan: '4' }, errorBox(ex, load)))); }
  }
  load();
}
