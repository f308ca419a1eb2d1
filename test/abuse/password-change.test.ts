/**
 * A password change ends every session and JWT of the user, whichever way the password was
 * changed: `auth.changePassword` and `auth.passwordReset.*` over tRPC, the CLI's
 * `changepassword` (another process: its own auth object and store connection — with the memory
 * store a store the server never sees), an admin tool calling core's `setPassword`, and a
 * direct database write. Checked over HTTP against a running app: the old session cookie, the
 * old access token and the old refresh token all stop working. Memory store by default, Redis
 * with REDIS_URL; SQLite by default, MariaDB with DATABASE_URL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { MemoryStore, type User } from '@koa-auth/core';
import { endUserSessions } from '@koa-auth/koa';
import { testAuthOn, createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import type { TestClient } from '@koa-auth/koa/testing';
import { PASSWORD, startFullApp, type FullApp } from '../helpers/full-app.js';

const NEW_PASSWORD = 'Another-Horse-77';
let db: TestDb;
let stores: TestStores;
let app: FullApp;

beforeAll(async () => {
  db = await createTestDb('abuse/password-change');
  stores = new TestStores('abuse-password-change');
  app = await startFullApp({ knex: db.knex, store: stores.open(), throttle: false });
});
afterAll(async () => {
  await app?.close();
  await stores?.close();
  await db?.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
  app.mailer.outbox.length = 0;
});

interface Credentials {
  user: User;
  browser: TestClient;
  accessToken: string;
  refreshToken: string;
}

let n = 0;
/** A user logged in twice: a browser session and a bearer client's token pair. */
async function loggedIn(): Promise<Credentials> {
  const username = `victim${++n}`;
  const user = await app.auth.users.createUser({ username, email: `${username}@example.com`, password: PASSWORD });
  const browser = app.client();
  expect((await browser.mutation('auth.login', { identifier: username, password: PASSWORD })).status).toBe(200);
  const pair = await app.client().mutation('auth.token', { identifier: username, password: PASSWORD });
  expect(pair.status).toBe(200);
  const { accessToken, refreshToken } = pair.data as { accessToken: string; refreshToken: string };
  const creds = { user, browser, accessToken, refreshToken };
  await expectAlive(creds);
  return creds;
}

function bearerMe(accessToken: string) {
  return app.client().query('auth.me', undefined, { headers: { authorization: `Bearer ${accessToken}` } });
}

async function expectAlive({ user, browser, accessToken }: Credentials): Promise<void> {
  expect((await browser.query('auth.me')).data?.username).toBe(user.username);
  expect((await bearerMe(accessToken)).data?.username).toBe(user.username);
}

async function expectEnded({ browser, accessToken, refreshToken }: Credentials): Promise<void> {
  expect((await browser.query('auth.me')).data).toBeNull();
  expect((await bearerMe(accessToken)).status).toBe(401);
  expect((await app.client().mutation('auth.refresh', { refreshToken })).status).toBe(401);
}

describe(`a password change ends the user's sessions and tokens (${process.env.REDIS_URL ? 'Redis' : 'memory'} store)`, () => {
  it('auth.changePassword: every other session and every token family', async () => {
    const creds = await loggedIn();
    const changer = app.client();
    await changer.mutation('auth.login', { identifier: creds.user.username, password: PASSWORD });
    expect((await changer.mutation('auth.changePassword', { oldPassword: PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(200);
    await expectEnded(creds);
    expect((await changer.query('auth.me')).data?.username).toBe(creds.user.username);
  });

  it('auth.passwordReset.confirm', async () => {
    const creds = await loggedIn();
    expect((await app.client().mutation('auth.passwordReset.request', { email: creds.user.email })).status).toBe(200);
    for (let i = 0; i < 100 && app.mailer.outbox.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const link = new URL(/https?:\/\/\S+/.exec(app.mailer.outbox[0]!.text)![0]);
    const confirm = await app
      .client()
      .mutation('auth.passwordReset.confirm', { uid: link.searchParams.get('uid'), token: link.searchParams.get('token'), newPassword: NEW_PASSWORD });
    expect(confirm.status).toBe(200);
    await expectEnded(creds);
  });

  it("the CLI's changepassword, run in another process with its own store connection", async () => {
    const creds = await loggedIn();
    // What `changepassword` does in its own process: a new auth over the same database and a
    // store of its own (Redis: a new connection to the same keys; memory: one the server never sees).
    const cliStore = process.env.REDIS_URL ? stores.open() : new MemoryStore({ sweepIntervalMs: 0 });
    const cli = testAuthOn<User>(db.knex, { store: cliStore }).auth;
    const user = (await cli.users.getById(creds.user.id))!;
    await cli.changePassword(user, NEW_PASSWORD);
    await endUserSessions(cli, user.id);
    if (cliStore instanceof MemoryStore) await cliStore.close();
    await expectEnded(creds);
  });

  it("an admin tool calling core's setPassword, with no revocation call", async () => {
    const creds = await loggedIn();
    await app.auth.users.setPassword(creds.user, NEW_PASSWORD);
    await expectEnded(creds);
  });

  it('a direct write of the password column', async () => {
    const creds = await loggedIn();
    const encoded = await app.auth.hashers.makePassword(NEW_PASSWORD);
    await db.knex('auth_user').where({ id: creds.user.id }).update({ password: encoded });
    await expectEnded(creds);
    // The new password works and gives fresh, working credentials.
    const fresh = await app.client().mutation('auth.token', { identifier: creds.user.username, password: NEW_PASSWORD });
    expect((await bearerMe((fresh.data as { accessToken: string }).accessToken)).data?.username).toBe(creds.user.username);
  });
});
