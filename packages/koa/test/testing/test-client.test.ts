/**
 * @koa-auth/koa/testing as an app's test uses it (the README's example): createTestAuth, a
 * koaAuth() app on a free port, and a TestClient whose cookie jar behaves like one browser.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestAuth, type TestAuth } from '@koa-auth/core/testing';
import { startTestApp, TestClient, type TestApp } from '@koa-auth/koa/testing';

const PASSWORD = 'correct horse battery staple';
let testAuth: TestAuth;
let app: TestApp;

beforeAll(async () => {
  testAuth = await createTestAuth({ name: 'koa/testing' });
  app = await startTestApp(testAuth, { auth: testAuth.auth });
});

afterAll(async () => {
  await app?.close();
  await testAuth?.close();
});

describe('TestClient', () => {
  it('keeps the session cookie like a browser: registered, then logged out', async () => {
    const browser = app.client();
    expect(browser).toBeInstanceOf(TestClient);
    const registered = await browser.mutation('auth.register', { username: 'alice', password: PASSWORD });
    expect(registered.status).toBe(200);
    expect(browser.sessionId()).toEqual(expect.any(String));
    expect((await browser.query('auth.me')).data).toMatchObject({ username: 'alice' });

    // Another client has a jar of its own.
    expect((await app.client().query('auth.me')).data).toBeNull();

    expect((await browser.mutation('auth.logout')).status).toBe(200);
    expect(browser.sessionId()).toBeUndefined();
    expect((await browser.query('auth.me')).data).toBeNull();
  });

  it('sends the site Origin on unsafe methods, so a cross-site request is still refused by CSRF', async () => {
    const browser = app.client();
    const refused = await browser.mutation(
      'auth.login',
      { identifier: 'alice', password: PASSWORD },
      { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } },
    );
    expect(refused.status).toBe(403);
    expect(browser.sessionId()).toBeUndefined();
    const accepted = await browser.mutation('auth.login', { identifier: 'alice', password: PASSWORD });
    expect(accepted.status).toBe(200);
    expect(browser.sessionId()).toEqual(expect.any(String));
  });
});
