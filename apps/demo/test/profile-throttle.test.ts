/**
 * `profile.update` answers "this phone number is taken": an existence oracle, so every call is
 * counted (koa-auth's throttledAction): 30 per user and 60 per address per hour, then 429 with
 * Retry-After whether the number is taken or free. Over HTTP, through a koa-auth app serving
 * the demo's profile router.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { koaTrpc, router } from '@koa-auth/koa';
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { type TestClient, type TrpcResult, startTestApp, type TestApp } from '@koa-auth/koa/testing';
import { createProfileRouter } from '../src/trpc/profile-router.js';

const PASSWORD = 'correct horse battery staple';
const TAKEN_PHONE = '13800138000';

let db: TestDb;
let store: ReturnType<typeof createTestStore>;
let t: TestApp;
let n = 0;

beforeAll(async () => {
  db = await createTestDb('demo/profile-throttle');
  store = createTestStore('demo-profile-throttle');
  t = await startTestApp(db, { store, extend: (app) => app.use(koaTrpc({ router: router({ profile: createProfileRouter() }), prefix: '/app' })) });
  await t.auth.users.createUser({ username: 'owner', phone: TAKEN_PHONE, password: PASSWORD });
});
afterAll(async () => {
  await t?.close();
  await store?.close();
  await db?.destroy();
});

async function loggedIn(): Promise<TestClient> {
  const username = `profile${++n}`;
  await t.auth.users.createUser({ username, password: PASSWORD });
  const client = t.client();
  expect((await client.mutation('auth.login', { identifier: username, password: PASSWORD })).status).toBe(200);
  return client;
}

async function update(client: TestClient, input: Record<string, string>): Promise<TrpcResult> {
  const response = await client.fetch('/app/profile.update', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const body = (await response.json()) as { result?: { data: unknown }; error?: TrpcResult['error'] };
  return { status: response.status, headers: response.headers, data: body.result?.data, error: body.error };
}

describe('profile.update throttle', () => {
  it('30 per user per hour, then 429 whether the phone number is taken or free', async () => {
    const client = await loggedIn();
    for (let i = 0; i < 30; i++) {
      const answer = await update(client, i % 2 ? { phone: TAKEN_PHONE } : { nickname: `nick ${i}` });
      expect(answer.status).toBe(i % 2 ? 400 : 200);
    }
    const taken = await update(client, { phone: TAKEN_PHONE });
    const free = await update(client, { phone: '13900139000' });
    for (const answer of [taken, free]) {
      expect(answer.status).toBe(429);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.error?.data.fieldErrors).toBeUndefined();
    }
  });

  it('60 per address per hour across users', async () => {
    // The first test used 30 of this address's 60 (all of these tests come from 127.0.0.1);
    // its two refused calls cost the address nothing.
    const second = await loggedIn();
    for (let i = 0; i < 30; i++) expect((await update(second, { nickname: `second ${i}` })).status).toBe(200);
    expect((await update(await loggedIn(), { nickname: 'third' })).status).toBe(429);
  });

  it('anonymous calls are refused before being counted (401)', async () => {
    expect((await update(t.client(), { nickname: 'anon' })).status).toBe(401);
  });
});
