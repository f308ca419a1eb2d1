/** /admin/users: the user list from `admin.users` (the server checks `auth.view_user` on every call). */
import { client } from '../client.js';
import { avatar, byId, el, formatDate, showMessage } from '../dom.js';
import { messageFor } from '../errors.js';

export function adminUsersPage(): void {
  const form = byId('admin-search-form', HTMLFormElement);
  const search = byId('admin-search', HTMLInputElement);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(search.value);
  });
  void load('');
}

async function load(search: string): Promise<void> {
  const body = byId('admin-users').querySelector('tbody');
  const count = byId('admin-count');
  const alert = byId('admin-error');
  if (!body) return;
  showMessage(alert, null);
  try {
    const { users, total } = await client.admin.users.query({ search });
    body.replaceChildren(
      ...users.map((user) => {
        const name = user.nickname || user.username;
        const roles = [user.isSuperuser && 'superuser', user.isStaff && 'staff', !user.isActive && 'inactive'].filter((r): r is string => Boolean(r));
        return el('tr', { attrs: { 'data-username': user.username } }, [
          el('td', { text: String(user.id) }),
          el('td', {}, [
            el('div', { className: 'user-cell' }, [
              avatar(user.avatar, name),
              el('div', {}, [el('strong', { text: name }), user.nickname ? el('div', { className: 'hint', text: user.username }) : '']),
            ]),
          ]),
          el('td', { className: 'nowrap', text: user.email ?? '—' }),
          el('td', { className: 'nowrap', text: user.phoneDisplay ?? '—' }),
          el('td', { text: user.wechatAccounts > 0 ? `linked (${user.wechatAccounts})` : '—' }),
          el('td', {}, roles.length ? roles.map((r) => el('span', { className: 'badge', text: r })) : ['—']),
          el('td', { text: formatDate(user.dateJoined) }),
          el('td', { text: formatDate(user.lastLogin) }),
        ]);
      }),
    );
    const shown = users.length < total ? ` (showing the first ${users.length})` : '';
    count.textContent = `${total} ${total === 1 ? 'user' : 'users'}${search ? ` matching “${search}”` : ''}${shown}`;
  } catch (error) {
    showMessage(alert, messageFor(error));
  }
}
