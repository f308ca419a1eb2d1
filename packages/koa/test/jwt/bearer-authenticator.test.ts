/**
 * bearerAuthenticator end to end: a real Koa server, real HTTP (global fetch), a real database
 * and the configured store.
 */
import { AllowAllUsersModelBackend, ModelBackend, type Auth, type User } from '@koa-auth/core';
import { bearerAuthenticator } from '../../src/authenticators/bearer-authenticator.js';
import { TokenService } from '../../src/jwt/token-service.js';
import { call, startApp, type Harness } from './koa-harness.js';
import { storeKind, TokenFixtures } from './token-fixtures.js';

const fx = new TokenFixtures('koa/tokens/bearer-authenticator');
let auth: Auth<User>;
let tokens: TokenService<User>;
let app: Harness;

beforeAll(async () => {
  await fx.setUp();
  auth = fx.auth();
  tokens = new TokenService(auth, { keyPrefix: fx.freshPrefix() });
  app = await startApp(auth, bearerAuthenticator(tokens));
});
afterAll(async () => {
  await app?.close();
  await fx.tearDown();
});
beforeEach(() => fx.clearUsers());

const REFUSED = { status: 401, body: { error: 'authentication_failed', message: 'Invalid or expired credentials.' }, challenge: 'Bearer' };

describe(`bearerAuthenticator (${storeKind})`, () => {
  it('recognises the user of a valid access token, marked with the token’s backend', async () => {
    const user = await fx.createUser(auth);
    const pair = await tokens.issue(user);
    const { familyId } = await tokens.verifyAccess(pair.accessToken);
    const response = await call(app, `Bearer ${pair.accessToken}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: 'alice', via: 'bearer', backend: 'ModelBackend', details: { familyId } });
    // The scheme is case-insensitive and surrounding spaces are tolerated.
    expect((await call(app, `  bearer   ${pair.accessToken} `)).body.user).toBe('alice');
  });

  it('returns null (anonymous) without an Authorization header or with another scheme', async () => {
    expect(await call(app)).toMatchObject({ status: 200, body: { user: null } });
    expect(await call(app, '')).toMatchObject({ status: 200, body: { user: null } });
    expect(await call(app, 'Basic YWxpY2U6cGFzc3dvcmQ=')).toMatchObject({ status: 200, body: { user: null } });
    expect(await call(app, 'Bearerish abc')).toMatchObject({ status: 200, body: { user: null } });
  });

  it('refuses bad bearer credentials with a 401, never a 500, never echoing the token', async () => {
    const user = await fx.createUser(auth);
    const pair = await tokens.issue(user);
    const bad = [
      'Bearer',
      'Bearer ',
      'Bearer garbage',
      'Bearer a.b.c',
      `Bearer ${pair.accessToken}x`,
      `Bearer ${pair.accessToken} extra`,
      `Bearer ${pair.refreshToken}`,
      'Bearer ünïcödé',
    ];
    for (const header of bad) {
      const response = await call(app, header);
      expect(response).toEqual(REFUSED);
      expect(JSON.stringify(response.body)).not.toContain(pair.refreshToken);
    }
  });

  it('refuses the token of a revoked family at once', async () => {
    const user = await fx.createUser(auth);
    const pair = await tokens.issue(user);
    expect((await call(app, `Bearer ${pair.accessToken}`)).status).toBe(200);
    await tokens.revokeUser(String(user.id));
    expect(await call(app, `Bearer ${pair.accessToken}`)).toEqual(REFUSED);
  });

  it('refuses an access token minted before a password change written straight to the database', async () => {
    const user = await fx.createUser(auth);
    const pair = await tokens.issue(user);
    expect((await call(app, `Bearer ${pair.accessToken}`)).status).toBe(200);
    await fx.db
      .knex('auth_user')
      .where({ id: user.id })
      .update({ password: await auth.hashers.makePassword('changed elsewhere 42') });
    expect(await call(app, `Bearer ${pair.accessToken}`)).toEqual(REFUSED);
    // The family is revoked: its refresh token is dead as well.
    await expect(tokens.refresh(pair.refreshToken)).rejects.toThrow('Invalid or expired credentials.');
  });

  it('refuses the token of a deactivated or deleted user (the backend’s getUser refuses them)', async () => {
    const user = await fx.createUser(auth);
    const pair = await tokens.issue(user);
    await fx.setActive(user, false);
    expect(await call(app, `Bearer ${pair.accessToken}`)).toEqual(REFUSED);
    await fx.setActive(user, true);
    expect((await call(app, `Bearer ${pair.accessToken}`)).status).toBe(200);
    await fx.db.knex('auth_user').where({ id: user.id }).delete();
    expect(await call(app, `Bearer ${pair.accessToken}`)).toEqual(REFUSED);
  });

  it('loads the user through the backend named in the token, and refuses a backend no longer configured', async () => {
    const prefix = fx.freshPrefix();
    const store = fx.openStore();
    const allowAll = fx.auth({ store, backends: [new AllowAllUsersModelBackend()] });
    const allowAllTokens = new TokenService(allowAll, { keyPrefix: prefix });
    const inactive = await fx.createUser(allowAll);
    await fx.setActive(inactive, false);
    const pair = await allowAllTokens.issue(inactive);
    const allowAllApp = await startApp(allowAll, bearerAuthenticator(allowAllTokens));
    // Same secret, store and registry, but only ModelBackend configured.
    const modelOnly = fx.auth({ store, backends: [new ModelBackend()] });
    const modelOnlyApp = await startApp(modelOnly, bearerAuthenticator(new TokenService(modelOnly, { keyPrefix: prefix })));
    try {
      expect((await call(allowAllApp, `Bearer ${pair.accessToken}`)).body).toMatchObject({ user: 'alice', backend: 'AllowAllUsersModelBackend' });
      expect(await call(modelOnlyApp, `Bearer ${pair.accessToken}`)).toEqual(REFUSED);
    } finally {
      await allowAllApp.close();
      await modelOnlyApp.close();
    }
  });
});
