import { request } from 'node:http';
import { ImproperlyConfigured } from '@koa-auth/core';
import { createTestDb, type TestDb, createTestStore, MemoryMailSender } from '@koa-auth/core/testing';
import { startTestApp, TEST_PUBLIC_URL, type TestApp } from '@koa-auth/koa/testing';
import { createAuthRouter } from '../../src/trpc/auth-router.js';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let t: TestApp;
let store: ReturnType<typeof createTestStore>;

beforeAll(async () => {
  db = await createTestDb('koa/password-reset');
  store = createTestStore('password-reset');
  // No allowed-hosts check here: the link must not depend on the Host even where nothing refuses it.
  t = await startTestApp(db, { store, stack: () => ({ allowedHosts: false }) });
  t.app.proxy = true;
});
afterAll(async () => {
  await t.close();
  await store.close();
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
  t.mailer.outbox.length = 0;
});

/** POST a tRPC mutation with exactly these headers (fetch cannot set Host). */
function rawMutation(path: string, input: unknown, headers: Record<string, string>): Promise<number> {
  const { port } = new URL(t.url);
  const body = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: `/trpc/${path}`,
        method: 'POST',
        setHost: false,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'sec-fetch-site': 'same-origin', ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function nextMail(): Promise<string> {
  for (let i = 0; i < 100 && t.mailer.outbox.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const mail = t.mailer.outbox.shift();
  if (!mail) throw new Error('no mail was sent');
  return mail.text;
}

function linkIn(text: string): URL {
  const match = /https?:\/\/\S+/.exec(text);
  if (!match) throw new Error(`no link in ${text}`);
  return new URL(match[0]);
}

describe('passwordReset.request', () => {
  it.each([
    ['Host', 'alice', { host: 'evil.example' }],
    ['Host with port', 'erin', { host: 'evil.example:8080' }],
    ['X-Forwarded-Host behind a trusted proxy', 'dave', { host: '127.0.0.1', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' }],
  ])('mails a link on the configured public origin whatever the %s says', async (_name, username, headers) => {
    // One user per case: the reset throttle mails one link per email per window.
    await t.auth.users.createUser({ username, email: `${username}@example.com`, password: PASSWORD });
    expect(await rawMutation('auth.passwordReset.request', { email: `${username}@example.com` }, headers)).toBe(200);
    const text = await nextMail();
    expect(text).not.toContain('evil');
    const link = linkIn(text);
    expect(link.origin).toBe(TEST_PUBLIC_URL);
    expect(link.pathname).toBe('/reset-password');
  });

  it('sends a link whose uid and token reset the password once', async () => {
    await t.auth.users.createUser({ username: 'bob', email: 'bob@example.com', password: PASSWORD });
    const client = t.client();
    expect((await client.mutation('auth.passwordReset.request', { email: 'bob@example.com' })).status).toBe(200);
    const link = linkIn(await nextMail());
    const input = { uid: link.searchParams.get('uid'), token: link.searchParams.get('token'), newPassword: 'Another-Horse-77' };
    expect((await client.mutation('auth.passwordReset.confirm', input)).status).toBe(200);
    expect((await client.mutation('auth.login', { identifier: 'bob', password: 'Another-Horse-77' })).status).toBe(200);
    expect((await t.client().mutation('auth.passwordReset.confirm', { ...input, newPassword: 'Third-Horse-99' })).status).toBe(401);
  });

  it('builds the link on a configured page path', async () => {
    const other = await startTestApp(db, { store, auth: t.auth, routerOptions: { publicUrl: 'http://localhost:3000/', passwordResetUrl: '/account/reset' } });
    try {
      await t.auth.users.createUser({ username: 'carol', email: 'carol@example.com', password: PASSWORD });
      expect((await other.client().mutation('auth.passwordReset.request', { email: 'carol@example.com' })).status).toBe(200);
      for (let i = 0; i < 100 && other.mailer.outbox.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const link = linkIn(other.mailer.outbox[0]!.text);
      expect(`${link.origin}${link.pathname}`).toBe('http://localhost:3000/account/reset');
    } finally {
      await other.close();
    }
  });
});

describe('createAuthRouter publicUrl', () => {
  const mailer = new MemoryMailSender();

  it('is required when a mailer is set, and not otherwise', () => {
    expect(() => createAuthRouter({ mailer })).toThrow(ImproperlyConfigured);
    expect(() => createAuthRouter({ mailer })).toThrow(/publicUrl/);
    expect(() => createAuthRouter({})).not.toThrow();
  });

  it.each([
    'example.com',
    'ftp://example.com',
    'https://example.com/app',
    'https://example.com?x=1',
    'https://example.com/#x',
    'https://user:pw@example.com',
    'javascript:alert(1)',
    '',
  ])('refuses publicUrl %p', (publicUrl) => {
    expect(() => createAuthRouter({ mailer, publicUrl })).toThrow(ImproperlyConfigured);
  });

  it.each(['//evil.example/reset', 'https://evil.example/reset', 'reset', '/\\evil.example', '/reset?next=x', '/reset#x'])(
    'refuses passwordResetUrl %p',
    (passwordResetUrl) => {
      expect(() => createAuthRouter({ mailer, publicUrl: 'https://example.com', passwordResetUrl })).toThrow(ImproperlyConfigured);
    },
  );

  it('accepts an origin with a port or a trailing slash', () => {
    expect(() => createAuthRouter({ mailer, publicUrl: 'http://localhost:3000' })).not.toThrow();
    expect(() => createAuthRouter({ mailer, publicUrl: 'https://example.com/' })).not.toThrow();
  });
});
