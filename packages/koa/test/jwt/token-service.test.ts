/**
 * TokenService against a real database and the configured store (see token-fixtures.ts).
 */
import { markBackend, ScryptKdfHasher } from '@koa-auth/core/internal';
import { MixedLoginBackend, ModelBackend, type Auth, type User } from '@koa-auth/core';
import { TEST_SECRET } from '@koa-auth/core/testing';
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { AuthenticationFailed } from '../../src/errors.js';
import { deriveTokenKey, newTokenId, type TokenType } from '../../src/jwt/token-keys.js';
import { TokenService } from '../../src/jwt/token-service.js';
import type { TokenServiceOptions } from '../../src/jwt/token-service-options.js';
import { OTHER_SECRET, PASSWORD, sleep, storeKind, TokenFixtures } from './token-fixtures.js';

const fx = new TokenFixtures('koa/jwt/token-service');
beforeAll(() => fx.setUp());
afterAll(() => fx.tearDown());
beforeEach(() => fx.clearUsers());

const GENERIC_MESSAGE = new AuthenticationFailed().message;

/** Expect an AuthenticationFailed with the generic message, which never echoes the token. */
async function expectRefused(promise: Promise<unknown>, token?: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationFailed);
  const message = (error as Error).message;
  expect(message).toBe(GENERIC_MESSAGE);
  if (token && token.length > 8) expect(message).not.toContain(token);
}

interface Setup {
  auth: Auth<User>;
  tokens: TokenService<User>;
  user: User;
  prefix: string;
}

async function setup(options: TokenServiceOptions = {}, authOptions: Parameters<TokenFixtures['auth']>[0] = {}): Promise<Setup> {
  const auth = fx.auth(authOptions);
  const prefix = fx.freshPrefix();
  const tokens = new TokenService(auth, { keyPrefix: prefix, ...options });
  const user = await fx.createUser(auth);
  return { auth, tokens, user, prefix };
}

/** A token signed with the real derived key but claims of our choosing (for typ/exp/iss cases). */
function forge(type: TokenType, claims: JWTPayload, secret = TEST_SECRET, alg = 'HS256'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: 'koa-auth', iat: now, exp: now + 60, jti: newTokenId(), ...claims })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .sign(deriveTokenKey(secret, type));
}

/** The claims of one of our tokens, read without verification (tests only). */
interface DecodedClaims extends JWTPayload {
  sub: string;
  fam: string;
  jti: string;
  typ: string;
  iat: number;
  exp: number;
  bkd?: string;
}

function decodePayload(token: string): DecodedClaims {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as DecodedClaims;
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe(`TokenService (${storeKind})`, () => {
  describe('issue and verifyAccess', () => {
    it('issues a Bearer pair whose access token verifies to the user, family and backend', async () => {
      const { tokens, user } = await setup();
      const before = Date.now();
      const pair = await tokens.issue(user, { device: 'Firefox on Linux', ip: '203.0.113.7' });
      expect(pair.tokenType).toBe('Bearer');
      expect(pair.expiresIn).toBe(300);
      expect(pair.accessExpiresAt.getTime()).toBeGreaterThanOrEqual(before + 299_000);
      expect(pair.refreshExpiresAt.getTime()).toBeGreaterThan(before + 29 * 24 * 3600 * 1000);

      const verified = await tokens.verifyAccess(pair.accessToken);
      expect(verified).toEqual({ userId: String(user.id), familyId: expect.any(String), backend: 'ModelBackend' });

      const claims = decodePayload(pair.accessToken);
      expect(claims).toMatchObject({ sub: String(user.id), typ: 'access', bkd: 'ModelBackend', iss: 'koa-auth', fam: verified.familyId });
      expect(claims.exp).toBe(claims.iat + 300);
      expect(claims.aud).toBeUndefined();
      const refresh = decodePayload(pair.refreshToken);
      expect(refresh).toMatchObject({ sub: String(user.id), typ: 'refresh', fam: verified.familyId });
      expect(refresh.jti).not.toBe(claims.jti);
      expect(refresh.exp).toBe(refresh.iat + 30 * 24 * 3600);
    });

    it('keeps the registry layout: family record, user set, TTLs', async () => {
      const { auth, tokens, user, prefix } = await setup();
      const pair = await tokens.issue(user, { device: 'x'.repeat(500), ip: ' 198.51.100.1 ' });
      const { familyId } = await tokens.verifyAccess(pair.accessToken);
      const raw = await auth.store.get(`${prefix}family:${familyId}`);
      const record = JSON.parse(raw!) as Record<string, unknown>;
      expect(record).toEqual({
        userId: String(user.id),
        current: decodePayload(pair.refreshToken).jti,
        backend: 'ModelBackend',
        authHash: auth.sessionAuthHash(user),
        createdAt: expect.any(Number),
        device: 'x'.repeat(200),
        ip: '198.51.100.1',
      });
      const ttl = await auth.store.ttl(`${prefix}family:${familyId}`);
      expect(ttl).toBeGreaterThan(29 * 24 * 3600 * 1000);
      expect(await auth.store.setMembers(`${prefix}user:${user.id}`)).toEqual([familyId]);
    });

    it('records the backend that authenticated the user', async () => {
      const { tokens, auth } = await setup({}, { backends: [new ModelBackend(), new MixedLoginBackend()] });
      await fx.createUser(auth, 'bob');
      const bob = await auth.authenticate(null, { identifier: 'bob@example.com', password: 'correct horse battery staple' });
      const pair = await tokens.issue(bob!);
      expect((await tokens.verifyAccess(pair.accessToken)).backend).toBe('MixedLoginBackend');
    });

    it('refuses to guess the backend when several are configured and the user carries none', async () => {
      const { tokens, user } = await setup({}, { backends: [new ModelBackend(), new MixedLoginBackend()] });
      await expect(tokens.issue(user)).rejects.toThrow(/several backends/);
      await expect(tokens.issue(markBackend(user, 'NoSuchBackend'))).rejects.toThrow(/no backend named/);
    });

    it('sets and checks the audience when configured', async () => {
      const { tokens, user, auth, prefix } = await setup({ audience: 'mobile-api' });
      const pair = await tokens.issue(user);
      expect(decodePayload(pair.accessToken).aud).toBe('mobile-api');
      await expect(tokens.verifyAccess(pair.accessToken)).resolves.toBeDefined();
      // Same secret and registry, other audience (or none): refused.
      await expectRefused(new TokenService(auth, { keyPrefix: prefix, audience: 'web' }).verifyAccess(pair.accessToken));
      await expectRefused(new TokenService(auth, { keyPrefix: prefix }).verifyAccess(pair.accessToken));
      await expectRefused(new TokenService(auth, { keyPrefix: prefix, issuer: 'other' }).verifyAccess(pair.accessToken));
    });

    it('validates its options at construction', () => {
      const auth = fx.auth();
      expect(() => new TokenService(auth, { accessTtlSeconds: 0 })).toThrow(/accessTtlSeconds/);
      expect(() => new TokenService(auth, { refreshTtlSeconds: 1.5 })).toThrow(/refreshTtlSeconds/);
      expect(() => new TokenService(auth, { accessTtlSeconds: 600, refreshTtlSeconds: 60 })).toThrow(/must not exceed/);
      expect(() => new TokenService(auth, { clockToleranceSeconds: -1 })).toThrow(/clockTolerance/);
    });
  });

  describe('token types', () => {
    it('never accepts an access token as a refresh token, nor the reverse', async () => {
      const { tokens, user } = await setup();
      const pair = await tokens.issue(user);
      await expectRefused(tokens.refresh(pair.accessToken), pair.accessToken);
      await expectRefused(tokens.verifyAccess(pair.refreshToken), pair.refreshToken);
      // Neither attempt hurt the family.
      await expect(tokens.verifyAccess(pair.accessToken)).resolves.toBeDefined();
      await expect(tokens.refresh(pair.refreshToken)).resolves.toBeDefined();
    });

    it('checks the typ claim even under the right key', async () => {
      const { tokens, user } = await setup();
      const pair = await tokens.issue(user);
      const { fam, sub } = decodePayload(pair.accessToken);
      const wrongTyp = await forge('access', { sub, fam, typ: 'refresh', bkd: 'ModelBackend' });
      await expectRefused(tokens.verifyAccess(wrongTyp), wrongTyp);
      const noTyp = await forge('access', { sub, fam, bkd: 'ModelBackend' });
      await expectRefused(tokens.verifyAccess(noTyp));
      const current = decodePayload(pair.refreshToken).jti;
      const accessTypRefreshKey = await forge('refresh', { sub, fam, jti: current, typ: 'access' });
      await expectRefused(tokens.refresh(accessTypRefreshKey));
      // The control: a correctly typed forgery under the real key is accepted (so the refusals above are about typ).
      const control = await forge('access', { sub, fam, typ: 'access', bkd: 'ModelBackend' });
      await expect(tokens.verifyAccess(control)).resolves.toMatchObject({ familyId: fam });
    });
  });

  describe('bad tokens', () => {
    it('refuses an expired access token (real short TTL)', async () => {
      const { tokens, user } = await setup({ accessTtlSeconds: 1, clockToleranceSeconds: 0 });
      const pair = await tokens.issue(user);
      await expect(tokens.verifyAccess(pair.accessToken)).resolves.toBeDefined();
      await sleep(2100);
      await expectRefused(tokens.verifyAccess(pair.accessToken), pair.accessToken);
    });

    it('refuses tokens whose exp is past, beyond the clock tolerance', async () => {
      const { tokens, user } = await setup();
      const pair = await tokens.issue(user);
      const { fam, sub } = decodePayload(pair.accessToken);
      const now = Math.floor(Date.now() / 1000);
      const expired = await forge('access', { sub, fam, typ: 'access', bkd: 'ModelBackend', iat: now - 600, exp: now - 60 });
      await expectRefused(tokens.verifyAccess(expired), expired);
      // Within the 5 s tolerance it still passes (clock skew between servers).
      const justExpired = await forge('access', { sub, fam, typ: 'access', bkd: 'ModelBackend', iat: now - 300, exp: now - 2 });
      await expect(tokens.verifyAccess(justExpired)).resolves.toBeDefined();
      const refreshExpired = await forge('refresh', { sub, fam, typ: 'refresh', jti: decodePayload(pair.refreshToken).jti, exp: now - 60 });
      await expectRefused(tokens.refresh(refreshExpired));
    });

    it('refuses a forged signature and a tampered payload', async () => {
      const { tokens, user } = await setup();
      const pair = await tokens.issue(user);
      const claims = decodePayload(pair.accessToken);
      const otherKey = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(deriveTokenKey(OTHER_SECRET, 'access'));
      await expectRefused(tokens.verifyAccess(otherKey), otherKey);
      const rawSecret = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_SECRET));
      await expectRefused(tokens.verifyAccess(rawSecret), rawSecret);
      const [header, , signature] = pair.accessToken.split('.');
      const tampered = `${header}.${b64({ ...claims, sub: '999' })}.${signature}`;
      await expectRefused(tokens.verifyAccess(tampered), tampered);
      const noSignature = `${header}.${pair.accessToken.split('.')[1]}.`;
      await expectRefused(tokens.verifyAccess(noSignature), noSignature);
    });

    it("refuses alg 'none', RS256 and HS512 tokens", async () => {
      const { tokens, user } = await setup();
      const pair = await tokens.issue(user);
      const claims = decodePayload(pair.accessToken);
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      await expectRefused(tokens.verifyAccess(none), none);
      const noneWithSignature = `${b64({ alg: 'none' })}.${b64(claims)}.${pair.accessToken.split('.')[2]}`;
      await expectRefused(tokens.verifyAccess(noneWithSignature));

      const { privateKey } = await generateKeyPair('RS256');
      const rs256 = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
      await expectRefused(tokens.verifyAccess(rs256), rs256);
      const hs512 = await forge('access', { ...claims, jti: newTokenId() }, TEST_SECRET, 'HS512');
      await expectRefused(tokens.verifyAccess(hs512), hs512);
      // RS256 header over an HMAC made with the derived key (algorithm confusion).
      const [, body, hmacSignature] = pair.accessToken.split('.');
      const confused = `${b64({ alg: 'RS256', typ: 'JWT' })}.${body}.${hmacSignature}`;
      await expectRefused(tokens.verifyAccess(confused));
    });

    it('refuses garbage, empty and absurd input with AuthenticationFailed, never another error', async () => {
      const { tokens } = await setup();
      const inputs: unknown[] = [
        '',
        ' ',
        'garbage',
        'a.b.c',
        '...',
        'eyJhbGciOiJIUzI1NiJ9..',
        'Bearer x',
        '%%%.%%%.%%%',
        'x'.repeat(100_000),
        `${b64([1, 2])}.${b64('x')}.sig`,
        null,
        undefined,
        42,
        {},
      ];
      for (const input of inputs) {
        await expectRefused(tokens.verifyAccess(input as string));
        await expectRefused(tokens.refresh(input as string));
      }
    });

    it('refuses a well-signed token with an unknown family or foreign ids', async () => {
      const { tokens, user } = await setup();
      await tokens.issue(user);
      const unknownFamily = await forge('access', { sub: String(user.id), fam: newTokenId(), typ: 'access', bkd: 'ModelBackend' });
      await expectRefused(tokens.verifyAccess(unknownFamily));
      const badIds = await forge('access', { sub: String(user.id), fam: 'x:y', typ: 'access', bkd: 'ModelBackend' });
      await expectRefused(tokens.verifyAccess(badIds));
    });
  });

  describe('refresh rotation and reuse detection', () => {
    it('rotates: a new pair in the same family; the old refresh token is spent', async () => {
      const { tokens, user } = await setup();
      const first = await tokens.issue(user);
      const second = await tokens.refresh(first.refreshToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.accessToken).not.toBe(first.accessToken);
      const a = await tokens.verifyAccess(first.accessToken);
      const b = await tokens.verifyAccess(second.accessToken);
      expect(b.familyId).toBe(a.familyId);
      const third = await tokens.refresh(second.refreshToken);
      await expect(tokens.verifyAccess(third.accessToken)).resolves.toMatchObject({ familyId: a.familyId });
      expect(await tokens.listFamilies(String(user.id))).toHaveLength(1);
    });

    it('treats reuse of a spent refresh token as theft: the whole family is revoked', async () => {
      const { tokens, user } = await setup();
      const stolen = await tokens.issue(user);
      const legit = await tokens.refresh(stolen.refreshToken);
      await expectRefused(tokens.refresh(stolen.refreshToken), stolen.refreshToken);
      // The newer pair dies with the family.
      await expectRefused(tokens.verifyAccess(legit.accessToken));
      await expectRefused(tokens.refresh(legit.refreshToken));
      await expectRefused(tokens.verifyAccess(stolen.accessToken));
      expect(await tokens.listFamilies(String(user.id))).toEqual([]);
    });

    it('lets at most one of two concurrent refreshes with one token succeed, and the family ends revoked', async () => {
      const { tokens, user } = await setup();
      for (let round = 0; round < 5; round += 1) {
        const pair = await tokens.issue(user);
        const results = await Promise.allSettled([tokens.refresh(pair.refreshToken), tokens.refresh(pair.refreshToken)]);
        const won = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof tokens.refresh>>> => r.status === 'fulfilled');
        expect(won.length).toBeLessThanOrEqual(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(AuthenticationFailed);
        await expectRefused(tokens.verifyAccess(pair.accessToken));
        for (const w of won) {
          await expectRefused(tokens.verifyAccess(w.value.accessToken));
          await expectRefused(tokens.refresh(w.value.refreshToken));
        }
      }
      expect(await tokens.listFamilies(String(user.id))).toEqual([]);
    });

    it('many concurrent refreshes with one token: at most one winner, family revoked', async () => {
      const { tokens, user } = await setup();
      const pair = await tokens.issue(user);
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => tokens.refresh(pair.refreshToken)));
      expect(results.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(1);
      await expectRefused(tokens.verifyAccess(pair.accessToken));
    });

    it('a refresh racing with revokeFamily never brings the family back', async () => {
      const { tokens, user } = await setup();
      for (let round = 0; round < 5; round += 1) {
        const pair = await tokens.issue(user);
        const { familyId } = await tokens.verifyAccess(pair.accessToken);
        const [refreshed] = await Promise.allSettled([tokens.refresh(pair.refreshToken), tokens.revokeFamily(familyId)]);
        if (refreshed.status === 'fulfilled') {
          await expectRefused(tokens.verifyAccess(refreshed.value.accessToken));
          await expectRefused(tokens.refresh(refreshed.value.refreshToken));
        }
        await expectRefused(tokens.verifyAccess(pair.accessToken));
      }
    });

    it('refuses to refresh for a deactivated or deleted user and revokes the family', async () => {
      const { tokens, user, auth } = await setup();
      const pair = await tokens.issue(user);
      await fx.setActive(user, false);
      await expectRefused(tokens.refresh(pair.refreshToken));
      await fx.setActive(user, true);
      // Revoked for good, even once reactivated.
      await expectRefused(tokens.refresh(pair.refreshToken));
      await expectRefused(tokens.verifyAccess(pair.accessToken));

      const bob = await fx.createUser(auth, 'bob');
      const bobs = await tokens.issue(bob);
      await fx.db.knex('auth_user').where({ id: bob.id }).delete();
      await expectRefused(tokens.refresh(bobs.refreshToken));
    });
  });

  describe('revocation', () => {
    it('revokeFamily makes the access and refresh tokens fail at once', async () => {
      const { tokens, user } = await setup();
      const pair = await tokens.issue(user);
      const { familyId } = await tokens.verifyAccess(pair.accessToken);
      await expect(tokens.revokeFamily(familyId)).resolves.toBe(true);
      await expectRefused(tokens.verifyAccess(pair.accessToken));
      await expectRefused(tokens.refresh(pair.refreshToken));
      await expect(tokens.revokeFamily(familyId)).resolves.toBe(false);
    });

    it('revokeFamily with userId only revokes that user’s family', async () => {
      const { tokens, user, auth } = await setup();
      const bob = await fx.createUser(auth, 'bob');
      const alices = await tokens.issue(user);
      const { familyId } = await tokens.verifyAccess(alices.accessToken);
      await expect(tokens.revokeFamily(familyId, { userId: String(bob.id) })).resolves.toBe(false);
      await expect(tokens.verifyAccess(alices.accessToken)).resolves.toBeDefined();
      await expect(tokens.revokeFamily(familyId, { userId: String(user.id) })).resolves.toBe(true);
      await expectRefused(tokens.verifyAccess(alices.accessToken));
    });

    it('revokeUser kills every family of the user and no one else’s', async () => {
      const { tokens, user, auth } = await setup();
      const bob = await fx.createUser(auth, 'bob');
      const phone = await tokens.issue(user, { device: 'phone' });
      const laptop = await tokens.issue(user, { device: 'laptop' });
      const bobs = await tokens.issue(bob);
      await expect(tokens.revokeUser(String(user.id))).resolves.toBe(2);
      for (const pair of [phone, laptop]) {
        await expectRefused(tokens.verifyAccess(pair.accessToken));
        await expectRefused(tokens.refresh(pair.refreshToken));
      }
      await expect(tokens.verifyAccess(bobs.accessToken)).resolves.toBeDefined();
      expect(await tokens.listFamilies(String(user.id))).toEqual([]);
      expect(await tokens.listFamilies(String(bob.id))).toHaveLength(1);
    });

    it('listFamilies lists live families newest first and drops expired ones', async () => {
      const { tokens, user, auth, prefix } = await setup();
      const phone = await tokens.issue(user, { device: 'phone', ip: '192.0.2.1' });
      await sleep(5);
      await tokens.issue(user, { device: 'laptop' });
      const list = await tokens.listFamilies(String(user.id));
      expect(list.map((f) => f.device)).toEqual(['laptop', 'phone']);
      expect(list[1]).toEqual({
        familyId: (await tokens.verifyAccess(phone.accessToken)).familyId,
        backend: 'ModelBackend',
        createdAt: expect.any(Date),
        device: 'phone',
        ip: '192.0.2.1',
      });
      expect(list[0]).not.toHaveProperty('ip');

      // A record that expired (simulated by deleting it) disappears from the list and the set.
      await auth.store.delete(`${prefix}family:${list[0]!.familyId}`);
      expect((await tokens.listFamilies(String(user.id))).map((f) => f.device)).toEqual(['phone']);
      expect(await auth.store.setMembers(`${prefix}user:${user.id}`)).toEqual([list[1]!.familyId]);
    });

    it('singleDevice: issuing a second pair revokes the first', async () => {
      const { tokens, user } = await setup({ singleDevice: true });
      const first = await tokens.issue(user, { device: 'phone' });
      const second = await tokens.issue(user, { device: 'tablet' });
      await expectRefused(tokens.verifyAccess(first.accessToken));
      await expectRefused(tokens.refresh(first.refreshToken));
      await expect(tokens.verifyAccess(second.accessToken)).resolves.toBeDefined();
      expect((await tokens.listFamilies(String(user.id))).map((f) => f.device)).toEqual(['tablet']);
      // Rotation stays within the family and does not count as another device.
      const rotated = await tokens.refresh(second.refreshToken);
      await expect(tokens.verifyAccess(rotated.accessToken)).resolves.toBeDefined();
    });
  });

  describe('several instances and secret rotation', () => {
    it('another instance over the same store sees revocations immediately', async () => {
      const { tokens: serverA, user, prefix } = await setup();
      // A second auth with its own store connection (on Redis) and its own TokenService.
      const serverB = new TokenService(fx.auth(), { keyPrefix: prefix });
      const pair = await serverA.issue(user);
      const { familyId } = await serverB.verifyAccess(pair.accessToken);
      const rotated = await serverB.refresh(pair.refreshToken);
      await expect(serverA.verifyAccess(rotated.accessToken)).resolves.toBeDefined();
      // Reuse detected on A revokes for B.
      await expectRefused(serverA.refresh(pair.refreshToken));
      await expectRefused(serverB.verifyAccess(rotated.accessToken));

      const again = await serverA.issue(user);
      await serverB.revokeFamily((await serverA.verifyAccess(again.accessToken)).familyId);
      await expectRefused(serverA.verifyAccess(again.accessToken));
      expect(await serverA.listFamilies(String(user.id))).toEqual([]);
      expect(familyId).toEqual(expect.any(String));
    });

    it('accepts tokens signed with a fallback secret, not with an unknown one', async () => {
      const { tokens: oldServer, user, prefix } = await setup();
      const pair = await oldServer.issue(user);
      const rotatedAuth = fx.auth({ secret: OTHER_SECRET, secretFallbacks: [TEST_SECRET] });
      const newServer = new TokenService(rotatedAuth, { keyPrefix: prefix });
      await expect(newServer.verifyAccess(pair.accessToken)).resolves.toMatchObject({ userId: String(user.id) });
      // Refreshing re-signs with the new secret: the old server no longer knows it.
      const renewed = await newServer.refresh(pair.refreshToken);
      await expect(newServer.verifyAccess(renewed.accessToken)).resolves.toBeDefined();
      await expectRefused(oldServer.verifyAccess(renewed.accessToken));

      const strangerAuth = fx.auth({ secret: 'a-completely-unknown-secret-0123456789abcdef' });
      const stranger = new TokenService(strangerAuth, { keyPrefix: prefix });
      await expectRefused(stranger.verifyAccess(renewed.accessToken));
      await expectRefused(stranger.refresh(renewed.refreshToken));
    });
  });
});

describe(`TokenService families bound to the password (${storeKind})`, () => {
  /** A new password written straight to the table, as a script or another program would. */
  async function writePasswordDirectly(auth: Auth<User>, user: User, raw: string): Promise<void> {
    await fx.db
      .knex('auth_user')
      .where({ id: user.id })
      .update({ password: await auth.hashers.makePassword(raw) });
  }

  it('refuses a refresh after a password change written straight to the database, and revokes the family', async () => {
    const { auth, tokens, user } = await setup();
    const pair = await tokens.issue(user);
    const { familyId } = await tokens.verifyAccess(pair.accessToken);
    await writePasswordDirectly(auth, user, 'a different passphrase');
    await expectRefused(tokens.refresh(pair.refreshToken), pair.refreshToken);
    // Revoked, not merely refused: even the bare registry check fails now.
    await expectRefused(tokens.verifyAccess(pair.accessToken));
    expect(await tokens.listFamilies(String(user.id))).toEqual([]);
    expect(await tokens.revokeFamily(familyId)).toBe(false);
  });

  it('authenticateAccess refuses an access token minted under the old password and revokes the family', async () => {
    const { auth, tokens, user } = await setup();
    const pair = await tokens.issue(user);
    await expect(tokens.authenticateAccess(pair.accessToken)).resolves.toMatchObject({ userId: String(user.id), user: { username: 'alice' } });
    // The admin path: core's setPassword, with no revocation call afterwards.
    await auth.users.setPassword(user, 'an admin-chosen passphrase');
    await expectRefused(tokens.authenticateAccess(pair.accessToken), pair.accessToken);
    await expectRefused(tokens.refresh(pair.refreshToken));
    // A family issued after the change works.
    const fresh = await tokens.issue((await auth.users.getById(user.id))!);
    await expect(tokens.authenticateAccess(fresh.accessToken)).resolves.toBeDefined();
    await expect(tokens.refresh(fresh.refreshToken)).resolves.toBeDefined();
  });

  it('a family refreshed before the change carries the old binding: the new pair fails too', async () => {
    const { auth, tokens, user } = await setup();
    const first = await tokens.issue(user);
    const second = await tokens.refresh(first.refreshToken);
    await writePasswordDirectly(auth, user, 'yet another passphrase');
    await expectRefused(tokens.authenticateAccess(second.accessToken));
    await expectRefused(tokens.refresh(second.refreshToken));
  });

  it('keeps a family whose password hash was only upgraded (same password), on refresh and access', async () => {
    const { tokens, user, prefix } = await setup({}, { hashers: [new ScryptKdfHasher({ logN: 8 })] });
    const pair = await tokens.issue(user);
    // The site raises its hashing parameters; a login there rehashes the same password.
    const upgradedAuth = fx.auth({ hashers: [new ScryptKdfHasher({ logN: 10 })] });
    const upgradedTokens = new TokenService(upgradedAuth, { keyPrefix: prefix });
    const reloaded = (await upgradedAuth.users.getById(user.id))!;
    expect(await upgradedAuth.checkPassword(reloaded, PASSWORD)).toBe(true);
    expect(reloaded.password).not.toBe(user.password);
    await expect(upgradedTokens.authenticateAccess(pair.accessToken)).resolves.toBeDefined();
    const renewed = await upgradedTokens.refresh(pair.refreshToken);
    await expect(upgradedTokens.authenticateAccess(renewed.accessToken)).resolves.toBeDefined();
    // A real change afterwards still ends it.
    await writePasswordDirectly(upgradedAuth, user, 'changed for real now');
    await expectRefused(upgradedTokens.authenticateAccess(renewed.accessToken));
  });

  it('refuses records written without a password binding (fail closed)', async () => {
    const { auth, tokens, user, prefix } = await setup();
    const pair = await tokens.issue(user);
    const { familyId } = await tokens.verifyAccess(pair.accessToken);
    const key = `${prefix}family:${familyId}`;
    const { authHash: _dropped, ...legacy } = JSON.parse((await auth.store.get(key))!) as Record<string, unknown>;
    await auth.store.set(key, JSON.stringify(legacy), 60_000);
    await expectRefused(tokens.authenticateAccess(pair.accessToken));
    await expectRefused(tokens.refresh(pair.refreshToken));
  });
});
