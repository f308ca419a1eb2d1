/**
 * basicAuthenticator end to end: a real Koa server, real HTTP, a real database.
 */
import { MixedLoginBackend, ModelBackend, type Auth, type User } from '@koa-auth/core';
import { basicAuthenticator } from '../../src/authenticators/basic-authenticator.js';
import { call, startApp, type Harness } from './koa-harness.js';
import { PASSWORD, TokenFixtures } from './token-fixtures.js';

const fx = new TokenFixtures('koa/tokens/basic-authenticator');
let auth: Auth<User>;
let app: Harness;

beforeAll(async () => {
  await fx.setUp();
  auth = fx.auth();
  app = await startApp(auth, basicAuthenticator({ realm: 'koa-auth tests' }));
});
afterAll(async () => {
  await app?.close();
  await fx.tearDown();
});
beforeEach(() => fx.clearUsers());

const basic = (userPass: string | Buffer) => `Basic ${Buffer.from(userPass).toString('base64')}`;
const CHALLENGE = 'Basic realm="koa-auth tests", charset="UTF-8"';
const REFUSED = { status: 401, body: { error: 'authentication_failed', message: 'Invalid or expired credentials.' }, challenge: CHALLENGE };

describe('basicAuthenticator', () => {
  it('authenticates username:password through the backends', async () => {
    await fx.createUser(auth);
    expect(await call(app, basic(`alice:${PASSWORD}`))).toMatchObject({ status: 200, body: { user: 'alice', via: 'basic', backend: 'ModelBackend' } });
    expect((await call(app, `bAsIc ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`)).status).toBe(200);
  });

  it('splits at the first colon and decodes UTF-8 (passwords may contain colons)', async () => {
    await auth.users.createUser({ username: 'zoë', email: 'zoe@example.com', password: 'pä:ss:wörd-long-enough' });
    expect(await call(app, basic('zoë:pä:ss:wörd-long-enough'))).toMatchObject({ status: 200, body: { user: 'zoë' } });
  });

  it('returns null without the header or with another scheme', async () => {
    expect(await call(app)).toMatchObject({ status: 200, body: { user: null } });
    expect(await call(app, 'Bearer abc.def.ghi')).toMatchObject({ status: 200, body: { user: null } });
  });

  it('refuses wrong credentials, unknown users and inactive users', async () => {
    const user = await fx.createUser(auth);
    expect(await call(app, basic('alice:wrong password'))).toEqual(REFUSED);
    expect(await call(app, basic(`nobody:${PASSWORD}`))).toEqual(REFUSED);
    expect(await call(app, basic(`:${PASSWORD}`))).toEqual(REFUSED);
    await fx.setActive(user, false);
    expect(await call(app, basic(`alice:${PASSWORD}`))).toEqual(REFUSED);
  });

  it('refuses malformed credentials: bad base64, no colon, invalid UTF-8, empty', async () => {
    const malformed = [
      'Basic',
      'Basic ',
      'Basic !!!!',
      'Basic YWxpY2U', // unpadded
      'Basic YWxp Y2U6cA==',
      basic('alice-without-colon'),
      basic(Buffer.from([0x61, 0x3a, 0xff, 0xfe])),
      `Basic ${'A'.repeat(5000)}`,
    ];
    for (const header of malformed) expect(await call(app, header)).toEqual(REFUSED);
  });

  it('sends { identifier, password } when the backends only take identifiers', async () => {
    const mixed = fx.auth({ backends: [new MixedLoginBackend()] });
    await fx.createUser(mixed);
    const mixedApp = await startApp(mixed, basicAuthenticator());
    try {
      expect(await call(mixedApp, basic(`alice@example.com:${PASSWORD}`))).toMatchObject({
        status: 200,
        body: { user: 'alice', backend: 'MixedLoginBackend' },
      });
      expect((await call(mixedApp, basic('alice:nope'))).challenge).toBe('Basic realm="api", charset="UTF-8"');
    } finally {
      await mixedApp.close();
    }
  });

  it('prefers { identifier, password } when both shapes are taken, as the login form does (loginCredentials)', async () => {
    // ModelBackend first in the chain: with the username shape it would answer, and an email
    // would not log in through Basic although it does on the login form.
    const both = fx.auth({ backends: [new ModelBackend(), new MixedLoginBackend()] });
    await fx.createUser(both);
    const bothApp = await startApp(both, basicAuthenticator());
    try {
      expect((await call(bothApp, basic(`alice:${PASSWORD}`))).body).toMatchObject({ user: 'alice', backend: 'MixedLoginBackend' });
      expect((await call(bothApp, basic(`alice@example.com:${PASSWORD}`))).body).toMatchObject({ user: 'alice', backend: 'MixedLoginBackend' });
    } finally {
      await bothApp.close();
    }
  });

  it('refuses a realm that would break the challenge header', () => {
    expect(() => basicAuthenticator({ realm: 'a"b' })).toThrow(/realm/);
    expect(() => basicAuthenticator({ realm: '' })).toThrow(/realm/);
  });
});
