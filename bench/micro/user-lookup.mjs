// Micro-benchmark (one process, no HTTP) of the pieces GET /me pays for besides Koa itself:
// loading the user row (objection findById as UserManager.getById does, vs a plain knex
// query), the session-store read, the session auth hash check, publicUser, and for the
// 100-permission route the permission query and the 100 hasPerm calls. Run it pinned:
//
//   taskset -c 0 node micro/user-lookup.mjs [--db sqlite:///tmp/x.sqlite | mysql://…/db]
//
// Without --db it builds a throw-away SQLite file with the bench user.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  addUserToGroup,
  createAuth,
  createKnex,
  ensurePermission,
  grantGroupPermission,
  grantUserPermission,
  MemoryStore,
  migrationSource,
  coreMigrations,
} from '@koa-auth/core';
import { clearPermissionCache, loadPermissions } from '@koa-auth/core/internal';
import { publicUser } from '@koa-auth/koa';
import { SessionStore } from '@koa-auth/koa/internal';
import { parseArgs, PASSWORD, PERM_GROUP, PERMISSIONS, SECRET, USERNAME } from '../lib/common.mjs';

const args = parseArgs();
let dir;
let url = args.db;
if (!url) {
  dir = mkdtempSync(join(tmpdir(), 'koa-auth-micro-'));
  url = `sqlite://${join(dir, 'micro.sqlite')}`;
}
const knex = createKnex(url);
if (dir) await knex.migrate.latest({ migrationSource: migrationSource(coreMigrations) });
const store = new MemoryStore();
const auth = createAuth({ knex, secret: SECRET, store, hashers: undefined });
let user = await auth.users.getByNaturalKey(USERNAME);
if (!user) {
  user = await auth.users.createUser({ username: USERNAME, email: 'bench@example.com', password: PASSWORD });
  for (const [i, perm] of PERMISSIONS.entries()) {
    await ensurePermission(knex, perm);
    if (i < 50) await grantUserPermission(knex, user, perm);
    else await grantGroupPermission(knex, PERM_GROUP, perm);
  }
  await addUserToGroup(knex, user, PERM_GROUP);
}
const sessions = new SessionStore(store);
const sid = 'x'.repeat(43);
await sessions.set(
  sid,
  { authUserId: user.id, authBackend: 'ModelBackend', authHash: auth.sessionAuthHash(user), _expire: Date.now() + 1e9, _maxAge: 1e9 },
  1e9,
);

async function bench(name, fn, seconds = Number(args.seconds ?? 2)) {
  for (let i = 0; i < 2000; i += 1) await fn();
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 200; i += 1) await fn();
    n += 200;
  }
  const us = ((performance.now() - t0) * 1000) / n;
  console.log(`${name.padEnd(58)} ${us.toFixed(1).padStart(7)} µs/op  ${(1e6 / us).toFixed(0).padStart(8)} op/s`);
}

const table = auth.userModel.tableName;
await bench('auth.users.getById (objection findById)', () => auth.users.getById(user.id));
await bench("knex('auth_user').where('id', id).first()", () => knex(table).where('id', user.id).first());
await bench('knex.raw(select … where id = ?)', () => knex.raw(`select * from ${table} where id = ?`, [user.id]));
await bench('userModel.fromDatabaseJson(row) after knex first()', async () => auth.userModel.fromDatabaseJson(await knex(table).where('id', user.id).first()));
await bench('SessionStore.get (MemoryStore, JSON.parse)', () => sessions.get(sid));
await bench('auth.verifySessionAuthHash (HMAC-SHA256)', async () => auth.verifySessionAuthHash(user, auth.sessionAuthHash(user)));
await bench('publicUser(auth, user)', async () => publicUser(auth, user));
await bench('loadPermissions (the UNION query, uncached)', () => {
  clearPermissionCache(user);
  return loadPermissions(knex, user);
});
await loadPermissions(knex, user);
await bench('auth.hasPerms(user, 100 permissions), permissions cached', () => auth.hasPerms(user, PERMISSIONS));
await bench('100 × Set.has on the cached permission set', async () => {
  const { all } = await loadPermissions(knex, user);
  for (const perm of PERMISSIONS) if (!all.has(perm)) throw new Error(perm);
});
if (url.startsWith('sqlite:')) {
  // What SQLite itself costs, without knex/objection: prepared statements on the same connection.
  const conn = await knex.client.acquireConnection();
  try {
    const byId = conn.prepare(`select * from ${table} where id = ?`);
    const union = conn.prepare(
      "select p.app_label, p.codename, 'u' as source from auth_permission as p inner join auth_user_user_permissions as up on up.permission_id = p.id where up.user_id = ? " +
        "union all select p.app_label, p.codename, 'g' as source from auth_permission as p inner join auth_group_permissions as gp on gp.permission_id = p.id " +
        'inner join auth_user_groups as ug on ug.group_id = gp.group_id where ug.user_id = ?',
    );
    const oneRow = conn.prepare(
      "select group_concat(p.app_label || '.' || p.codename) as perms from auth_permission p where p.id in " +
        '(select permission_id from auth_user_user_permissions where user_id = ? union select gp.permission_id from auth_group_permissions gp join auth_user_groups ug on ug.group_id = gp.group_id where ug.user_id = ?)',
    );
    await bench('SQLite prepared: user by id', async () => byId.get(user.id));
    await bench('SQLite prepared: the permission UNION (100 rows)', async () => union.all(user.id, user.id));
    await bench('SQLite prepared: permissions as one group_concat row', async () => oneRow.get(user.id, user.id).perms.split(','));
  } finally {
    await knex.client.releaseConnection(conn);
  }
}
await knex.destroy();
if (dir) rmSync(dir, { recursive: true, force: true });
