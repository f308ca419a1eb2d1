import { randomUUID } from 'node:crypto';
import { ImproperlyConfigured, MemoryStore, RedisStore, type KeyValueStore } from '@koa-auth/core';
import { Throttled } from '../../src/errors.js';
import { ActionThrottle } from '../../src/throttle/action-throttle.js';
import { createAuthRouter } from '../../src/trpc/auth-router.js';
import { throttledAction } from '../../src/trpc/throttled-action.js';
import { deleteKeys } from '@koa-auth/core/testing';

const REDIS_URL = process.env.REDIS_URL;
const PREFIX = `koa-auth-test:action-throttle:${process.pid}:${randomUUID()}:`;
const KINDS: Array<{ name: string; open(): KeyValueStore }> = [
  { name: 'MemoryStore', open: () => new MemoryStore({ sweepIntervalMs: 0 }) },
  ...(REDIS_URL ? [{ name: 'RedisStore', open: () => RedisStore.fromUrl(REDIS_URL, { prefix: PREFIX }) }] : []),
];
const uid = () => randomUUID().slice(0, 8);

describe.each(KINDS)('ActionThrottle on $name', (kind) => {
  let store: KeyValueStore;
  beforeAll(() => {
    store = kind.open();
  });
  afterAll(async () => {
    if (store instanceof RedisStore) await deleteKeys(store, `${PREFIX}*`);
    await store.close();
  });

  it('counts every call per address and refuses the one over the limit', async () => {
    const throttle = new ActionThrottle({ store, name: `t-${uid()}`, perAddress: { points: 3, durationSeconds: 60 } });
    for (let i = 0; i < 3; i++) await throttle.hit('10.0.0.1');
    await expect(throttle.hit('10.0.0.1')).rejects.toBeInstanceOf(Throttled);
    await expect(throttle.hit('10.0.0.2')).resolves.toBeUndefined();
  });

  it('holds under concurrency: 30 concurrent calls against 20 pass 20', async () => {
    const throttle = new ActionThrottle({ store, name: `t-${uid()}`, perAddress: { points: 20, durationSeconds: 60 } });
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, () => throttle.hit('10.0.1.1')));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(20);
  });

  it('a call refused per target takes nothing from the address, and the other way round', async () => {
    const throttle = new ActionThrottle({
      store,
      name: `t-${uid()}`,
      perAddress: { points: 3, durationSeconds: 60 },
      perTarget: { points: 1, durationSeconds: 60 },
    });
    await throttle.hit('10.0.2.1', 'user:1');
    for (let i = 0; i < 5; i++) await expect(throttle.hit('10.0.2.1', 'user:1')).rejects.toBeInstanceOf(Throttled);
    await throttle.hit('10.0.2.1', 'user:2');
    await throttle.hit('10.0.2.1', 'user:3');
    await expect(throttle.hit('10.0.2.1', 'user:4')).rejects.toBeInstanceOf(Throttled);
    // user:4 was not counted: from elsewhere it still has its call.
    await expect(throttle.hit('10.0.2.2', 'user:4')).resolves.toBeUndefined();
  });

  it('allowsTarget answers false instead of throwing, and counts every call', async () => {
    const throttle = new ActionThrottle({ store, name: `t-${uid()}`, perTarget: { points: 2, durationSeconds: 60 } });
    expect(await throttle.allowsTarget('email:a@example.com')).toBe(true);
    expect(await throttle.allowsTarget('EMAIL:A@example.com')).toBe(true);
    expect(await throttle.allowsTarget('email:a@example.com')).toBe(false);
    expect(await throttle.allowsTarget('email:b@example.com')).toBe(true);
  });
});

describe('configuration', () => {
  const store = new MemoryStore({ sweepIntervalMs: 0 });
  afterAll(() => store.close());

  it('refuses nonsense at construction', () => {
    expect(() => new ActionThrottle({ store, name: 'x' })).toThrow(ImproperlyConfigured);
    expect(() => new ActionThrottle({ store, name: 'bad name', perAddress: {} })).toThrow(/name/);
    expect(() => new ActionThrottle({ store, name: 'x', perAddress: { points: 0 } })).toThrow(/perAddress/);
    expect(() => new ActionThrottle({ store, name: 'x', perTarget: { durationSeconds: 1.5 } })).toThrow(/perTarget/);
  });

  it('wrong router limits fail when the router is built, not on the first request', () => {
    expect(() => createAuthRouter({ limits: { register: { perAddress: { points: -1 } } } })).toThrow(/register perAddress/);
    expect(() => createAuthRouter({ limits: { passwordReset: { perTarget: { durationSeconds: 0 } } } })).toThrow(/password-reset perTarget/);
    expect(() => createAuthRouter({ limits: { timeoutMs: 0 } })).toThrow(/timeoutMs/);
    expect(() => createAuthRouter({ limits: { register: false, passwordReset: false } })).not.toThrow();
    expect(() => throttledAction({ name: 'x' })).toThrow(ImproperlyConfigured);
  });
});
