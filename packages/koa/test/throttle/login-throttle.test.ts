import { randomUUID } from 'node:crypto';
import { MemoryStore, RedisStore, ServiceUnavailable, type KeyValueStore } from '@koa-auth/core';
import { Throttled } from '../../src/errors.js';
import { LoginThrottle, type LoginThrottleOptions } from '../../src/throttle/login-throttle.js';
import { accountThrottleKey, addressThrottleKey } from '../../src/throttle/throttle-key.js';
import { redisOf } from '@koa-auth/core/testing';

const REDIS_URL = process.env.REDIS_URL;
// One prefix per test run, so runs sharing a Redis never see each other's counters.
const RUN_PREFIX = `koa-auth-test:throttle:${process.pid}:${randomUUID()}:`;

interface StoreKind {
  name: string;
  /** A store; calling it twice gives two handles on the same data (two app instances). */
  open(): KeyValueStore;
}

const memory = (): StoreKind => {
  const store = new MemoryStore({ sweepIntervalMs: 0 });
  return { name: 'MemoryStore', open: () => store };
};
const redis = (url: string): StoreKind => ({
  name: 'RedisStore',
  open: () => RedisStore.fromUrl(url, { prefix: RUN_PREFIX }),
});
const KINDS: StoreKind[] = [memory(), ...(REDIS_URL ? [redis(REDIS_URL)] : [])];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Fresh identifiers per test: the stores are shared within a file. */
const uid = () => randomUUID().slice(0, 8);

/** What a login view does: reserve first, then the password, then settle the attempt. */
async function attempt(throttle: LoginThrottle, account: string, address: string, passwordIsRight: boolean): Promise<boolean> {
  const reserved = await throttle.reserve(account, address);
  if (passwordIsRight) {
    await reserved.succeeded();
    return true;
  }
  await reserved.failed();
  return false;
}

/** One failed attempt. */
const fail = async (throttle: LoginThrottle, account: string, address: string) => (await throttle.reserve(account, address)).failed();

async function throttledError(promise: Promise<unknown>): Promise<Throttled> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Throttled);
  return error as Throttled;
}

describe.each(KINDS)('LoginThrottle on $name', (kind) => {
  const opened: KeyValueStore[] = [];
  const make = (options: Omit<LoginThrottleOptions, 'store'> = {}, store?: KeyValueStore) => {
    const s = store ?? kind.open();
    if (!opened.includes(s)) opened.push(s);
    return new LoginThrottle({ store: s, ...options });
  };
  afterAll(async () => {
    const redisStore = opened.find((s): s is RedisStore => s instanceof RedisStore);
    if (redisStore) {
      const keys = await redisOf(redisStore).keys(`${RUN_PREFIX}*`);
      if (keys.length > 0) await redisOf(redisStore).del(...keys);
    }
    await Promise.all(opened.map((s) => s.close()));
  });

  it('refuses after N failures, with a Retry-After within the lockout', async () => {
    const throttle = make({ perAccount: { points: 3, durationSeconds: 60, blockSeconds: 30 } });
    const [account, address] = [`user-${uid()}`, `10.0.0.${Math.floor(Math.random() * 250)}`];
    for (let i = 0; i < 3; i++) expect(await attempt(throttle, account, address, false)).toBe(false);
    const error = await throttledError(throttle.check(account, address));
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(30);
    expect(error.code).toBe('throttled');
  });

  it('allows attempts below the limit', async () => {
    const throttle = make({ perAccount: { points: 3 } });
    const account = `user-${uid()}`;
    await attempt(throttle, account, '10.1.0.1', false);
    await attempt(throttle, account, '10.1.0.1', false);
    await expect(throttle.check(account, '10.1.0.1')).resolves.toBeUndefined();
  });

  it('refuses even the right password during a lockout, and does not reset the count', async () => {
    const throttle = make({ perAccount: { points: 2, durationSeconds: 60, blockSeconds: 60 } });
    const account = `user-${uid()}`;
    await attempt(throttle, account, '10.2.0.1', false);
    await attempt(throttle, account, '10.2.0.1', false);
    await throttledError(attempt(throttle, account, '10.2.0.1', true));
    // From another address too: the lock is on the account.
    await throttledError(attempt(throttle, account, '10.2.0.2', true));
    await throttledError(throttle.check(account, '10.2.0.1'));
  });

  it('normalises account identifiers: case, surrounding space and width share one counter', async () => {
    const throttle = make({ perAccount: { points: 3 } });
    const name = `alice${uid()}`;
    const fullWidth = [...name.toUpperCase()].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('');
    await fail(throttle, name, '10.3.0.1');
    await fail(throttle, ` ${name.toUpperCase()}\t`, '10.3.0.2');
    await fail(throttle, `\u3000${fullWidth}`, '10.3.0.3');
    await throttledError(throttle.check(name, '10.3.0.4'));
  });

  it('limits one address across many accounts (password spraying)', async () => {
    const throttle = make({ perAddress: { points: 5, durationSeconds: 60, blockSeconds: 60 } });
    const address = `192.168.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 5; i++) await attempt(throttle, `victim-${uid()}`, address, false);
    const error = await throttledError(throttle.check(`someone-new-${uid()}`, address));
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    // Another address is not affected.
    await expect(throttle.check(`someone-new-${uid()}`, '172.16.0.1')).resolves.toBeUndefined();
  });

  it('resets the account counter on success, but not the address counter', async () => {
    const throttle = make({
      perAccount: { points: 3, durationSeconds: 60, blockSeconds: 60 },
      perAddress: { points: 4, durationSeconds: 60, blockSeconds: 60 },
    });
    const [account, address] = [`user-${uid()}`, `10.4.${Math.floor(Math.random() * 250)}.1`];
    await attempt(throttle, account, address, false);
    await attempt(throttle, account, address, false);
    expect(await attempt(throttle, account, address, true)).toBe(true);
    // The account starts over: two more failures do not lock it...
    await attempt(throttle, account, address, false);
    await attempt(throttle, account, address, false);
    await expect(throttle.check(account, '10.4.255.255')).resolves.toBeUndefined();
    // ...but the address has now failed four times and is locked, for every account.
    await throttledError(throttle.check(`other-${uid()}`, address));
  });

  it('ends the lockout after blockSeconds', async () => {
    const throttle = make({ perAccount: { points: 2, durationSeconds: 60, blockSeconds: 1 } });
    const account = `user-${uid()}`;
    await attempt(throttle, account, '10.5.0.1', false);
    await attempt(throttle, account, '10.5.0.1', false);
    const error = await throttledError(throttle.check(account, '10.5.0.1'));
    expect(error.retryAfterSeconds).toBe(1);
    await sleep(1300);
    expect(await attempt(throttle, account, '10.5.0.1', true)).toBe(true);
  });

  it('counts the lockout from the failure that reached the limit, not from the window start', async () => {
    const throttle = make({ perAccount: { points: 2, durationSeconds: 1, blockSeconds: 2 } });
    const account = `user-${uid()}`;
    await attempt(throttle, account, '10.6.0.1', false);
    await attempt(throttle, account, '10.6.0.1', false);
    await sleep(1300); // the counting window is over, the lockout is not
    await throttledError(throttle.check(account, '10.6.0.1'));
    await sleep(1000);
    await expect(throttle.check(account, '10.6.0.1')).resolves.toBeUndefined();
  });

  it('forgets failures once the counting window ends', async () => {
    const throttle = make({ perAccount: { points: 3, durationSeconds: 1, blockSeconds: 60 } });
    const account = `user-${uid()}`;
    await attempt(throttle, account, '10.7.0.1', false);
    await attempt(throttle, account, '10.7.0.1', false);
    await sleep(1300);
    await attempt(throttle, account, '10.7.0.1', false);
    await attempt(throttle, account, '10.7.0.1', false);
    await expect(throttle.check(account, '10.7.0.1')).resolves.toBeUndefined();
  });

  it('shares counts between two LoginThrottle instances on the same store', async () => {
    const limits = { perAccount: { points: 4, durationSeconds: 60, blockSeconds: 60 } };
    // For Redis these are two connections, like two app instances.
    const first = make(limits, kind.open());
    const second = make(limits, kind.open());
    const account = `user-${uid()}`;
    await attempt(first, account, '10.8.0.1', false);
    await attempt(second, account, '10.8.0.2', false);
    await attempt(first, account, '10.8.0.3', false);
    // A success through one instance resets the count the other one sees.
    expect(await attempt(second, account, '10.8.0.4', true)).toBe(true);
    for (let i = 0; i < 3; i++) await attempt(i % 2 ? first : second, account, '10.8.0.5', false);
    await expect(first.check(account, '10.8.0.5')).resolves.toBeUndefined();
    await attempt(second, account, '10.8.0.6', false);
    await throttledError(first.check(account, '10.8.0.5'));
    await throttledError(second.reserve(account, '10.8.0.7'));
  });

  it('reserves before the work: 20 concurrent attempts against a limit of 5 get 5 reservations', async () => {
    const throttle = make({ perAccount: { points: 5, durationSeconds: 60, blockSeconds: 60 } });
    const account = `user-${uid()}`;
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => throttle.reserve(account, `10.10.0.${i}`)));
    const granted = outcomes.filter((o): o is PromiseFulfilledResult<Awaited<ReturnType<LoginThrottle['reserve']>>> => o.status === 'fulfilled');
    expect(granted).toHaveLength(5);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(Throttled);
    // The five fail: the account is locked, the right password is refused too.
    await Promise.all(granted.map((o) => o.value.failed()));
    await throttledError(attempt(throttle, account, '10.10.1.1', true));
  });

  it('the same under concurrency per address (many accounts, one address)', async () => {
    const throttle = make({ perAddress: { points: 7, durationSeconds: 60, blockSeconds: 60 } });
    const address = `10.11.${Math.floor(Math.random() * 250)}.1`;
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, () => throttle.reserve(`victim-${uid()}`, address)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(7);
  });

  it('a refused reservation takes nothing from the other count', async () => {
    const throttle = make({
      perAccount: { points: 1, durationSeconds: 60, blockSeconds: 60 },
      perAddress: { points: 3, durationSeconds: 60, blockSeconds: 60 },
    });
    const address = `10.12.${Math.floor(Math.random() * 250)}.1`;
    const locked = `user-${uid()}`;
    await fail(throttle, locked, address); // address 1 of 3; the account is locked
    for (let i = 0; i < 5; i++) await throttledError(throttle.reserve(locked, address));
    // Refused attempts did not use the address's points: two more accounts may still try.
    await fail(throttle, `user-${uid()}`, address);
    await fail(throttle, `user-${uid()}`, address);
    await throttledError(throttle.reserve(`user-${uid()}`, address));
  });

  it('a success gives the address back only its own point', async () => {
    const throttle = make({ perAddress: { points: 3, durationSeconds: 60, blockSeconds: 60 } });
    const address = `10.13.${Math.floor(Math.random() * 250)}.1`;
    await fail(throttle, `user-${uid()}`, address);
    await fail(throttle, `user-${uid()}`, address);
    for (let i = 0; i < 5; i++) expect(await attempt(throttle, `mine-${uid()}`, address, true)).toBe(true);
    await fail(throttle, `user-${uid()}`, address);
    await throttledError(throttle.reserve(`user-${uid()}`, address));
  });

  it('an attempt is settled once', async () => {
    const throttle = make();
    const reserved = await throttle.reserve(`user-${uid()}`, '10.14.0.1');
    await reserved.failed();
    await expect(reserved.succeeded()).rejects.toThrow(/settled once/);
  });

  if (kind.name === 'RedisStore') {
    it('keeps only hashed identifiers in Redis', async () => {
      const store = kind.open() as RedisStore;
      opened.push(store);
      const throttle = make({}, store);
      const account = `Carol.${uid()}@Example.com`;
      await fail(throttle, account, '203.0.113.9');
      const keys = await redisOf(store).keys(`${RUN_PREFIX}*`);
      expect(keys).toContain(`${RUN_PREFIX}login-throttle:account:${accountThrottleKey(account)}`);
      expect(keys).toContain(`${RUN_PREFIX}login-throttle:address:${addressThrottleKey('203.0.113.9')}`);
      for (const key of keys) {
        expect(key.toLowerCase()).not.toContain(account.toLowerCase());
        expect(key).not.toContain('203.0.113.9');
      }
    });
  }
});

describe('throttle keys', () => {
  it('are SHA-256 hex digests of the normalised identifier', () => {
    expect(accountThrottleKey(' Bob ')).toMatch(/^[0-9a-f]{64}$/);
    expect(accountThrottleKey(' Bob ')).toBe(accountThrottleKey('bob'));
    expect(accountThrottleKey('ｂｏｂ')).toBe(accountThrottleKey('bob'));
    expect(accountThrottleKey('bob')).not.toBe(accountThrottleKey('bob2'));
    expect(addressThrottleKey('2001:DB8::1')).toBe(addressThrottleKey('2001:db8::1'));
  });
});

describe('when the counter store fails', () => {
  async function expectUnavailable(promise: Promise<unknown>): Promise<void> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect((error as ServiceUnavailable).message).toMatch(/login throttle/);
  }

  it('fails closed with ServiceUnavailable when Redis cannot be reached', async () => {
    // Nothing listens on port 1: every command fails after the connection attempt.
    const store = RedisStore.fromUrl('redis://127.0.0.1:1', { prefix: RUN_PREFIX, commandTimeoutMs: 300 });
    try {
      const throttle = new LoginThrottle({ store });
      await expectUnavailable(throttle.check('alice', '10.9.0.1'));
      await expectUnavailable(throttle.reserve('alice', '10.9.0.1'));
    } finally {
      await store.close();
    }
  });

  it('fails closed when the store does not answer in time', async () => {
    const never = () => new Promise<never>(() => {});
    // Just enough of an ioredis client for RateLimiterRedis, never answering.
    const hanging = {
      status: 'ready',
      defineCommand(name: string) {
        (this as Record<string, unknown>)[name] = never;
      },
      multi() {
        const chain = { get: () => chain, pttl: () => chain, set: () => chain, incrby: () => chain, exec: never };
        return chain;
      },
      del: never,
    };
    const store = new RedisStore({ client: hanging as unknown as RedisStore['client'], prefix: RUN_PREFIX });
    const throttle = new LoginThrottle({ store, timeoutMs: 100 });
    const started = Date.now();
    await expectUnavailable(throttle.check('alice', '10.9.0.2'));
    await expectUnavailable(throttle.reserve('alice', '10.9.0.2'));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects nonsensical limits at construction', () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    for (const perAccount of [{ points: 0 }, { points: 1.5 }, { durationSeconds: 0 }, { durationSeconds: 0.5 }, { blockSeconds: -1 }]) {
      expect(() => new LoginThrottle({ store, perAccount })).toThrow(/LoginThrottle perAccount/);
    }
    expect(() => new LoginThrottle({ store, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new LoginThrottle({ store, perAccount: { blockSeconds: 0 } })).not.toThrow();
  });
});
