/** GET /admin/users (needs `auth.view_user`): the user list, loaded through `admin.users`. */
import { formAlert } from './form-field.js';
import { html } from './html.js';

export function adminUsersContent() {
  return html`<h1>Users</h1>
<p class="lead">Every account, as the <code>admin.users</code> procedure returns them. Needs the <code>auth.view_user</code> permission.</p>
<div class="card">
  <form class="toolbar" id="admin-search-form" role="search">
    <input id="admin-search" name="search" type="search" placeholder="Search username, email, phone or nickname" aria-label="Search users">
    <button type="submit" class="secondary" id="admin-search-submit">Search</button>
  </form>
  ${formAlert('admin')}
  <p class="hint" id="admin-count" aria-live="polite"></p>
  <div class="table-wrap">
  <table id="admin-users">
    <thead><tr><th>#</th><th>User</th><th>Email</th><th>Phone</th><th>WeChat</th><th>Roles</th><th>Joined</th><th>Last login</th></tr></thead>
    <tbody></tbody>
  </table>
  </div>
</div>`;
}
