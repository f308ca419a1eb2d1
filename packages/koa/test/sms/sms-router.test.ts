/**
 * `auth.sms.*` over HTTP, as a browser calls it: login, sign-up, phone verification and reset
 * by phone; the send limits under concurrency and in batches; codes bound to the browser,
 * single-use and dead after five tries; the same answer (and timing) whether a number has an
 * account or not; a provider failure is a 503 that costs the number nothing.
 */
import { ImproperlyConfigured, MixedLoginBackend, ModelBackend, type User } from '@koa-auth/core';
import { MemorySmsSender } from '@koa-auth/core/testing';
import { PhoneCodeBackend, type SmsMessage } from '@koa-auth/core/sms';
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { koaAuth } from '../../src/stack/koa-auth.js';
import { LoginThrottle } from '../../src/throttle/login-throttle.js';
import type { SmsOptions } from '../../src/sms/sms-options.js';
import { startTestApp, type TestApp, type TestClient } from '@koa-auth/koa/testing';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
const stores: ReturnType<typeof createTestStore>[] = [];
const apps: TestApp[] = [];

beforeAll(async () => {
  db = await createTestDb('koa/sms-router');
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await Promise.all(stores.map((store) => store.close()));
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
});

interface SmsApp extends TestApp {
  sender: MemorySmsSender;
}

/** An app with SMS codes on a store of its own (fresh limits); `loginThrottle` replaces the test app's 5-per-minute one. */
async function smsApp(sms: Partial<SmsOptions> = {}, loginThrottle?: (app: { store: ReturnType<typeof createTestStore> }) => LoginThrottle): Promise<SmsApp> {
  const store = createTestStore(`sms-router-${stores.length}`);
  stores.push(store);
  const sender = new MemorySmsSender();
  const app = await startTestApp(db, {
    store,
    backends: [new MixedLoginBackend(), new ModelBackend(), new PhoneCodeBackend()],
    stack: () => ({ sms: { sender, ...sms }, ...(loginThrottle ? { throttle: loginThrottle({ store }) } : {}) }),
  });
  apps.push(app);
  return Object.assign(app, { sender });
}

let n = 0;
/** A fresh Chinese mobile number per test: national format and E.164. */
function newPhone(): { national: string; e164: string } {
  n += 1;
  const digits = `139${String(n).padStart(8, '0')}`;
  return { national: `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`, e164: `+86${digits}` };
}

const send = (client: TestClient, phone: string, purpose = 'login') => client.mutation('auth.sms.send', { phone, purpose });
const verify = (client: TestClient, phone: string, code: string, purpose = 'login') => client.mutation('auth.sms.verify', { phone, purpose, code });
const wrongOf = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

function lastMessage(sender: MemorySmsSender, e164: string): SmsMessage {
  const message = sender.sentTo(e164).at(-1);
  if (!message) throw new Error(`no SMS to ${e164}`);
  return message;
}

describe('login by SMS code', () => {
  it('sends a code to the E.164 number and logs in with it; the session records PhoneCodeBackend', async () => {
    const app = await smsApp();
    const phone = newPhone();
    await app.auth.users.createUser({ username: 'alice', phone: phone.e164, password: PASSWORD });
    const logins: string[] = [];
    app.auth.events.on('userLoggedIn', ({ backend }) => {
      logins.push(backend);
    });
    const browser = app.client();
    const sent = await send(browser, phone.national);
    expect(sent.status).toBe(200);
    expect(sent.data).toEqual({ ok: true, resendAfterSeconds: 60, expiresInSeconds: 300 });
    const message = lastMessage(app.sender, phone.e164);
    expect(message).toMatchObject({ phone: phone.e164, purpose: 'login', text: `${message.code} is your login code` });
    expect(message.code).toMatch(/^\d{6}$/);

    const verified = await verify(browser, `+86 ${phone.national}`, message.code);
    expect(verified.status).toBe(200);
    expect(verified.data).toMatchObject({ purpose: 'login', created: false, user: { username: 'alice' } });
    expect((await browser.query('auth.me')).data).toMatchObject({ username: 'alice' });
    expect(logins).toEqual(['PhoneCodeBackend']);
    // Single use.
    expect((await verify(app.client(), phone.e164, message.code)).status).toBe(401);
  });

  it('signs up a new number when allowed', async () => {
    const app = await smsApp({ allowSignUp: true });
    const phone = newPhone();
    const browser = app.client();
    expect((await send(browser, phone.national)).status).toBe(200);
    const verified = await verify(browser, phone.national, lastMessage(app.sender, phone.e164).code);
    expect(verified.status).toBe(200);
    expect(verified.data).toMatchObject({ purpose: 'login', created: true, user: { username: phone.e164, phone: phone.e164 } });
    expect((await browser.query('auth.me')).data).toMatchObject({ phone: phone.e164 });
  });

  it('without sign-up, an unknown number gets no SMS and the very same answer', async () => {
    const app = await smsApp();
    const known = newPhone();
    const unknown = newPhone();
    await app.auth.users.createUser({ username: 'bob', phone: known.e164, password: PASSWORD });
    const forKnown = await send(app.client(), known.e164);
    const forUnknown = await send(app.client(), unknown.e164);
    expect(forUnknown.status).toBe(forKnown.status);
    expect(forUnknown.data).toEqual(forKnown.data);
    expect(app.sender.sentTo(known.e164)).toHaveLength(1);
    expect(app.sender.sentTo(unknown.e164)).toHaveLength(0);
    // The unknown number is limited like a known one: a 429 tells nothing either.
    expect((await send(app.client(), unknown.e164)).status).toBe(429);
    expect((await send(app.client(), known.e164)).status).toBe(429);
  });

  it('answers for an unknown number take as long as a real send', async () => {
    const app = await smsApp();
    const original = app.sender.send.bind(app.sender);
    app.sender.send = async (message) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await original(message);
    };
    const known = newPhone();
    await app.auth.users.createUser({ username: 'carol', phone: known.e164, password: PASSWORD });
    let started = Date.now();
    await send(app.client(), known.e164);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    started = Date.now();
    await send(app.client(), newPhone().e164);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('a code asked for in browser A is refused in browser B', async () => {
    const app = await smsApp();
    const phone = newPhone();
    await app.auth.users.createUser({ username: 'dave', phone: phone.e164, password: PASSWORD });
    const a = app.client();
    const b = app.client();
    await send(a, phone.e164);
    const { code } = lastMessage(app.sender, phone.e164);
    const stolen = await verify(b, phone.e164, code);
    expect(stolen.status).toBe(401);
    expect(stolen.error?.message).toBe('The code is wrong or has expired. Ask for a new one.');
    expect((await b.query('auth.me')).data).toBeNull();
    // B's try did not cost A's code anything.
    expect((await verify(a, phone.e164, code)).status).toBe(200);
  });

  it('parallel verifications of the right code make exactly one session', async () => {
    const app = await smsApp({}, ({ store }) => new LoginThrottle({ store, perAccount: { points: 50, durationSeconds: 60 } }));
    const phone = newPhone();
    await app.auth.users.createUser({ username: 'erin', phone: phone.e164, password: PASSWORD });
    const browser = app.client();
    await send(browser, phone.e164);
    const { code } = lastMessage(app.sender, phone.e164);
    const cookie = browser.cookieHeader();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => app.client().mutation('auth.sms.verify', { phone: phone.e164, purpose: 'login', code }, { headers: { cookie } })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(7);
  });

  it('the 6th try finds the code dead, even with the right digits', async () => {
    const app = await smsApp({}, ({ store }) => new LoginThrottle({ store, perAccount: { points: 50, durationSeconds: 60 } }));
    const phone = newPhone();
    await app.auth.users.createUser({ username: 'frank', phone: phone.e164, password: PASSWORD });
    const browser = app.client();
    await send(browser, phone.e164);
    const { code } = lastMessage(app.sender, phone.e164);
    for (let i = 0; i < 5; i++) expect((await verify(browser, phone.e164, wrongOf(code))).status).toBe(401);
    expect((await verify(browser, phone.e164, code)).status).toBe(401);
    expect((await browser.query('auth.me')).data).toBeNull();
  });

  it('parallel wrong tries cannot pass five: the right code is dead afterwards', async () => {
    const app = await smsApp(
      {},
      ({ store }) => new LoginThrottle({ store, perAccount: { points: 100, durationSeconds: 60 }, perAddress: { points: 100, durationSeconds: 60 } }),
    );
    const phone = newPhone();
    await app.auth.users.createUser({ username: 'gina', phone: phone.e164, password: PASSWORD });
    const browser = app.client();
    await send(browser, phone.e164);
    const { code } = lastMessage(app.sender, phone.e164);
    const cookie = browser.cookieHeader();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        app.client().mutation('auth.sms.verify', { phone: phone.e164, purpose: 'login', code: wrongOf(code) }, { headers: { cookie } }),
      ),
    );
    expect((await verify(browser, phone.e164, code)).status).toBe(401);
  });

  it('wrong codes count against the login throttle of the account', async () => {
    const app = await smsApp();
    const phone = newPhone();
    await app.auth.users.createUser({ username: 'hank', phone: phone.e164, password: PASSWORD });
    for (let i = 0; i < 5; i++) await verify(app.client(), phone.e164, '000000');
    const locked = await app.client().mutation('auth.login', { identifier: 'hank', password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('one code check per HTTP request: a batch of verifies runs one', async () => {
    const app = await smsApp();
    const phone = newPhone();
    const input = { phone: phone.e164, purpose: 'login', code: '000000' };
    const response = await app.client().fetch('/trpc/auth.sms.verify,auth.sms.verify?batch=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ 0: input, 1: input }),
    });
    const body = (await response.json()) as { error?: { data: { httpStatus: number } } }[];
    expect(body.map((item) => item.error?.data.httpStatus)).toEqual([401, 400]);
  });
});

describe('send limits', () => {
  it('20 parallel sends to one number send one SMS; the others get 429 with Retry-After', async () => {
    const app = await smsApp({ allowSignUp: true, limits: { perAddress: { points: 100, durationSeconds: 3600 } } });
    const phone = newPhone();
    const results = await Promise.all(Array.from({ length: 20 }, () => send(app.client(), phone.e164)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(19);
    for (const r of refused) {
      const wait = Number(r.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60);
    }
    expect(app.sender.sentTo(phone.e164)).toHaveLength(1);
  });

  it('per number: 1 per minute, and the hour and day windows are configurable', async () => {
    const app = await smsApp({ allowSignUp: true, limits: { perNumber: [{ points: 2, durationSeconds: 3600 }] } });
    const phone = newPhone();
    const answers = [await send(app.client(), phone.e164), await send(app.client(), phone.e164), await send(app.client(), phone.e164)];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(answers[0]!.data.resendAfterSeconds).toBe(0);
  });

  it('per address: 10 per hour by default, whatever the numbers', async () => {
    const app = await smsApp({ allowSignUp: true });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await send(app.client(), newPhone().e164)).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('global cap per minute', async () => {
    const app = await smsApp({ allowSignUp: true, limits: { global: { points: 3, durationSeconds: 60 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(app.client(), newPhone().e164)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('a tRPC batch of sends counts each call', async () => {
    const app = await smsApp({ allowSignUp: true, limits: { perAddress: { points: 2, durationSeconds: 3600 } } });
    const phones = [newPhone(), newPhone(), newPhone()];
    const body = Object.fromEntries(phones.map((p, i) => [i, { phone: p.e164, purpose: 'login' }]));
    const response = await app.client().fetch('/trpc/auth.sms.send,auth.sms.send,auth.sms.send?batch=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const items = (await response.json()) as { result?: unknown; error?: { data: { httpStatus: number } } }[];
    expect(items.filter((item) => item.result)).toHaveLength(2);
    expect(items.filter((item) => item.error?.data.httpStatus === 429)).toHaveLength(1);
    expect(app.sender.outbox).toHaveLength(2);
  });

  it('a provider failure answers 503, sends nothing and does not use up the number', async () => {
    const app = await smsApp({ allowSignUp: true });
    const phone = newPhone();
    app.sender.failing = new Error(`provider said no to ${phone.e164}`);
    const failed = await send(app.client(), phone.e164);
    expect(failed.status).toBe(503);
    expect(JSON.stringify(failed.error)).not.toContain(phone.e164);
    app.sender.failing = null;
    const retried = await send(app.client(), phone.e164);
    expect(retried.status).toBe(200);
    expect(app.sender.sentTo(phone.e164)).toHaveLength(1);
  });

  it('a number that is not a phone number is a field error', async () => {
    const app = await smsApp();
    const result = await send(app.client(), 'not a number');
    expect(result.status).toBe(400);
    expect(result.error?.data.fieldErrors?.phone?.[0]?.message).toBe('Enter a valid phone number.');
    expect((await app.client().mutation('auth.sms.send', { phone: newPhone().e164, purpose: 'spam' })).status).toBe(400);
  });
});

describe('verify a phone (logged in)', () => {
  async function loggedIn(app: SmsApp, username: string): Promise<TestClient> {
    await app.auth.users.createUser({ username, password: PASSWORD });
    const browser = app.client();
    expect((await browser.mutation('auth.login', { identifier: username, password: PASSWORD })).status).toBe(200);
    return browser;
  }

  it('sets the phone once the code proves it', async () => {
    const app = await smsApp();
    const browser = await loggedIn(app, 'ivy');
    const phone = newPhone();
    expect((await send(browser, phone.national, 'verify')).status).toBe(200);
    const { code, text } = lastMessage(app.sender, phone.e164);
    expect(text).toBe(`${code} is your phone verification code`);
    const verified = await verify(browser, phone.national, code, 'verify');
    expect(verified.status).toBe(200);
    expect(verified.data).toMatchObject({ purpose: 'verify', user: { username: 'ivy', phone: phone.e164 } });
    expect((await app.auth.users.findByIdentifier('username', 'ivy'))?.phone).toBe(phone.e164);
  });

  it("a wrong code changes nothing; another account's number is a field error only with the code", async () => {
    const app = await smsApp();
    const taken = newPhone();
    await app.auth.users.createUser({ username: 'owner', phone: taken.e164, password: PASSWORD });
    const browser = await loggedIn(app, 'jack');
    await send(browser, taken.e164, 'verify');
    const { code } = lastMessage(app.sender, taken.e164);
    expect((await verify(browser, taken.e164, wrongOf(code), 'verify')).status).toBe(401);
    const conflict = await verify(browser, taken.e164, code, 'verify');
    expect(conflict.status).toBe(400);
    expect(conflict.error?.data.fieldErrors?.phone?.[0]?.code).toBe('unique');
  });

  it('needs a logged-in user', async () => {
    const app = await smsApp();
    expect((await send(app.client(), newPhone().e164, 'verify')).status).toBe(401);
    expect(app.sender.outbox).toHaveLength(0);
  });
});

describe('password reset by phone', () => {
  it('a reset code gives a grant that auth.passwordReset.confirm takes', async () => {
    const app = await smsApp();
    const phone = newPhone();
    await app.auth.users.createUser({ username: 'kate', phone: phone.e164, password: PASSWORD });
    const browser = app.client();
    expect((await send(browser, phone.national, 'reset')).status).toBe(200);
    const { code } = lastMessage(app.sender, phone.e164);
    const grant = await verify(browser, phone.national, code, 'reset');
    expect(grant.status).toBe(200);
    expect(grant.data).toMatchObject({ purpose: 'reset', uid: expect.any(String), token: expect.any(String) });
    const newPassword = 'another horse battery staple';
    const confirmed = await browser.mutation('auth.passwordReset.confirm', { uid: grant.data.uid, token: grant.data.token, newPassword });
    expect(confirmed.status).toBe(200);
    expect((await app.client().mutation('auth.login', { identifier: phone.national, password: newPassword })).status).toBe(200);
    // The grant died with the password change.
    expect(
      (await browser.mutation('auth.passwordReset.confirm', { uid: grant.data.uid, token: grant.data.token, newPassword: 'yet another horse battery' })).status,
    ).toBe(401);
  });

  it('an unknown number gets the same answer and no SMS, even with sign-up allowed', async () => {
    const app = await smsApp({ allowSignUp: true });
    const known = newPhone();
    await app.auth.users.createUser({ username: 'liam', phone: known.e164, password: PASSWORD });
    const unknown = newPhone();
    const a = await send(app.client(), known.e164, 'reset');
    const b = await send(app.client(), unknown.e164, 'reset');
    expect(b.status).toBe(a.status);
    expect(b.data).toEqual(a.data);
    expect(app.sender.sentTo(unknown.e164)).toHaveLength(0);
  });

  it('a login code is no reset code', async () => {
    const app = await smsApp();
    const phone = newPhone();
    await app.auth.users.createUser({ username: 'mia', phone: phone.e164, password: PASSWORD });
    const browser = app.client();
    await send(browser, phone.e164, 'login');
    expect((await verify(browser, phone.e164, lastMessage(app.sender, phone.e164).code, 'reset')).status).toBe(401);
  });
});

describe('configuration', () => {
  it('without the sms option the procedures answer 404', async () => {
    const store = createTestStore('sms-router-off');
    stores.push(store);
    const app = await startTestApp(db, { store });
    apps.push(app);
    expect((await send(app.client(), newPhone().e164)).status).toBe(404);
  });

  it('koaAuth refuses sms without a PhoneCodeBackend, and wrong limits', async () => {
    const store = createTestStore('sms-router-config');
    stores.push(store);
    const app = await startTestApp(db, { store });
    apps.push(app);
    const sender = new MemorySmsSender();
    expect(() => koaAuth({ auth: app.auth, allowedHosts: false, sms: { sender }, warn: () => undefined })).toThrow(ImproperlyConfigured);
    const withBackend = { ...app.auth, backends: [...app.auth.backends, new PhoneCodeBackend<User>()] };
    expect(() => koaAuth({ auth: withBackend, allowedHosts: false, sms: { sender, limits: { perNumber: [] } }, warn: () => undefined })).toThrow(
      ImproperlyConfigured,
    );
    const warnings: string[] = [];
    koaAuth({ auth: withBackend, allowedHosts: ['x.test'], sms: { sender, allowSignUp: true }, warn: (line) => warnings.push(line) });
    expect(warnings.some((line) => line.includes('sms.allowSignUp'))).toBe(true);
  });
});
