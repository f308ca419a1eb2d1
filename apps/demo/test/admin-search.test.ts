/**
 * `admin.users` search ignores case on usernames and emails (through core's canonical form,
 * on the canonical columns) as on the other columns. SQLite by default; MariaDB with
 * DATABASE_URL, where identifier columns have a binary collation.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { grantUserPermission } from '@koa-auth/core';
import { koaTrpc, router } from '@koa-auth/koa';
import { wechatMigrations } from '@koa-auth/wechat';
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp, type TestClient } from '@koa-auth/koa/testing';
import { createAdminRouter } from '../src/trpc/admin-router.js';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let t: TestApp;
let store: ReturnType<typeof createTestStore>;
let admin: TestClient;

beforeAll(async () => {
  db = await createTestDb('demo/admin-search', wechatMigrations);
  store = createTestStore('demo-admin-search');
  t = await startTestApp(db, { store, extend: (app) => void app.use(koaTrpc({ router: router({ admin: createAdminRouter() }), prefix: '/api' })) });
  const boss = await t.auth.users.createUser({ username: 'boss', password: PASSWORD });
  await grantUserPermission(db.knex, boss, 'auth.view_user');
  await t.auth.users.createUser({ username: 'Carol_Ann', email: 'Carol.Ann@Example.com', password: PASSWORD });
  await t.auth.users.createUser({ username: 'straße', email: 'dave@example.org', password: PASSWORD });
  await t.auth.users.createUser({ username: 'erin', nickname: 'ErIn the Great', password: PASSWORD });
  admin = t.client();
  expect((await admin.mutation('auth.login', { identifier: 'boss', password: PASSWORD })).status).toBe(200);
});
afterAll(async () => {
  await t?.close();
  await store?.close();
  await db?.destroy();
});

async function search(text: string): Promise<string[]> {
  const response = await admin.fetch(`/api/admin.users?input=${encodeURIComponent(JSON.stringify({ search: text }))}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { result: { data: { users: { username: string }[] } } };
  return body.result.data.users.map((u) => u.username);
}

test.each([
  ['CAROL.ANN@EXAMPLE', ['Carol_Ann']],
  ['carol_ann', ['Carol_Ann']],
  ['@EXAMPLE.', ['Carol_Ann', 'straße']],
  ['STRASSE', ['straße']],
  ['STRAẞE', ['straße']],
  ['the great', ['erin']],
  ['%', []],
])('search %j finds %j', async (text, expected) => {
  expect(await search(text)).toEqual(expected);
});
