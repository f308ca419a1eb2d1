/**
 * `auth.sms.*` through the typed client in cookie mode (the session cookie carries the code's
 * browser binding): log in with a code, see the typed answer per purpose, and read a 429's wait.
 */
import { MemorySmsSender } from '@koa-auth/core/testing';
import { MixedLoginBackend, ModelBackend } from '@koa-auth/core';
import { PhoneCodeBackend } from '@koa-auth/core/sms';
import type { TestAppRouter } from './support/app-router.js';
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp } from '@koa-auth/koa/testing';
import { createAuthClient, isThrottled, isUnauthorized, type AuthClient } from '../src/index.js';
import { cookieJarFetch } from './support/cookie-jar-fetch.js';

const PHONE = '+8613911112222';
let db: TestDb;
let store: ReturnType<typeof createTestStore>;
let t: TestApp;
const sender = new MemorySmsSender();

beforeAll(async () => {
  db = await createTestDb('client/sms');
  store = createTestStore('client-sms');
  t = await startTestApp(db, {
    store,
    backends: [new MixedLoginBackend(), new ModelBackend(), new PhoneCodeBackend()],
    stack: () => ({ sms: { sender, allowSignUp: true } }),
  });
});
afterAll(async () => {
  await t.close();
  await store.close();
  await db.destroy();
});

function browser(): AuthClient<TestAppRouter> {
  return createAuthClient<TestAppRouter>({ url: `${t.url}/trpc`, mode: 'cookie', fetch: cookieJarFetch().fetch });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('SMS codes through the client', () => {
  it('signs up and logs in with a code, typed per purpose', async () => {
    const client = browser();
    const sent = await client.auth.sms.send.mutate({ phone: '139 1111 2222', purpose: 'login' });
    expect(sent).toEqual({ ok: true, resendAfterSeconds: 60, expiresInSeconds: 300 });
    const code = sender.lastCode(PHONE)!;
    const result = await client.auth.sms.verify.mutate({ phone: '139 1111 2222', purpose: 'login', code });
    // The answer is a union on `purpose`: narrowing gives the login fields their types.
    if (result.purpose !== 'login') throw new Error('expected a login answer');
    const created: boolean = result.created;
    expect(created).toBe(true);
    expect(result.user.phone).toBe(PHONE);
    expect((await client.auth.me.query())?.phone).toBe(PHONE);
  });

  it('a second send within the minute is throttled with the wait; a wrong code is unauthorized', async () => {
    const client = browser();
    const phone = '+8613911113333';
    await client.auth.sms.send.mutate({ phone, purpose: 'login' });
    const throttled = await rejection(client.auth.sms.send.mutate({ phone, purpose: 'login' }));
    expect(isThrottled(throttled)).toBe(true);
    expect(isThrottled(throttled) && throttled.retryAfter).toBeGreaterThan(0);
    const wrong = await rejection(client.auth.sms.verify.mutate({ phone, purpose: 'login', code: '000000' === sender.lastCode(phone) ? '111111' : '000000' }));
    expect(isUnauthorized(wrong)).toBe(true);
  });
});
