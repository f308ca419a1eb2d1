/**
 * The races of refresh-token rotation, made deterministic: a store wrapper holds the rotation's
 * write of the family record until the competing operation has finished.
 */
import type { KeyValueStore } from '@koa-auth/core';
import { AuthenticationFailed } from '../../src/errors.js';
import { TokenService } from '../../src/jwt/token-service.js';
import { storeKind, TokenFixtures } from './token-fixtures.js';

const fx = new TokenFixtures('koa/tokens/rotation-race');
beforeAll(() => fx.setUp());
afterAll(() => fx.tearDown());
beforeEach(() => fx.clearUsers());

/** A store whose next write of a key starting with `prefix` waits until `release()` (once armed). */
function gatedStore(inner: KeyValueStore) {
  let armedPrefix: string | null = null;
  let reached!: () => void;
  let release!: () => void;
  let reachedPromise = Promise.resolve();
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'set') {
        return async (key: string, value: string, ttlMs?: number) => {
          if (armedPrefix !== null && key.startsWith(armedPrefix)) {
            armedPrefix = null;
            const gate = new Promise<void>((resolve) => (release = resolve));
            reached();
            await gate;
          }
          return target.set(key, value, ttlMs);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    store,
    /** Hold the next write of a key starting with `prefix`; resolves once a write is held. */
    arm(prefix: string): Promise<void> {
      armedPrefix = prefix;
      reachedPromise = new Promise<void>((resolve) => (reached = resolve));
      return reachedPromise;
    },
    release: () => release(),
  };
}

async function setup() {
  const gated = gatedStore(fx.openStore());
  const auth = fx.auth({ store: gated.store });
  const prefix = fx.freshPrefix();
  const tokens = new TokenService(auth, { keyPrefix: prefix });
  const user = await fx.createUser(auth);
  const pair = await tokens.issue(user);
  const { familyId } = await tokens.verifyAccess(pair.accessToken);
  return { gated, auth, prefix, tokens, pair, familyId };
}

describe(`refresh rotation races (${storeKind})`, () => {
  it('a revocation landing between a rotation’s read and its write wins: the family stays revoked', async () => {
    const { gated, auth, prefix, tokens, pair, familyId } = await setup();
    const held = gated.arm(`${prefix}family:`);
    const rotation = tokens.refresh(pair.refreshToken);
    await held;
    await expect(tokens.revokeFamily(familyId)).resolves.toBe(true);
    gated.release();
    await expect(rotation).rejects.toBeInstanceOf(AuthenticationFailed);
    expect(await auth.store.get(`${prefix}family:${familyId}`)).toBeNull();
    await expect(tokens.verifyAccess(pair.accessToken)).rejects.toBeInstanceOf(AuthenticationFailed);
  });

  it('the same token refreshed twice: the second claims nothing, revokes, and the held first fails too', async () => {
    const { gated, auth, prefix, tokens, pair, familyId } = await setup();
    const held = gated.arm(`${prefix}family:`);
    const first = tokens.refresh(pair.refreshToken);
    await held; // the first has claimed the token and minted its pair
    await expect(tokens.refresh(pair.refreshToken)).rejects.toBeInstanceOf(AuthenticationFailed);
    gated.release();
    await expect(first).rejects.toBeInstanceOf(AuthenticationFailed);
    expect(await auth.store.get(`${prefix}family:${familyId}`)).toBeNull();
    expect(await tokens.listFamilies((await auth.users.getByNaturalKey('alice'))!.id.toString())).toEqual([]);
  });

  it('without a competitor, the held rotation completes normally', async () => {
    const { gated, prefix, tokens, pair, familyId } = await setup();
    const held = gated.arm(`${prefix}family:`);
    const rotation = tokens.refresh(pair.refreshToken);
    await held;
    gated.release();
    const renewed = await rotation;
    await expect(tokens.verifyAccess(renewed.accessToken)).resolves.toMatchObject({ familyId });
  });
});
