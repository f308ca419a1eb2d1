/**
 * One contract for every KeyValueStore: it runs against MemoryStore always and against
 * RedisStore when REDIS_URL is set (e.g. REDIS_URL=redis://127.0.0.1:6379). With REDIS_URL set,
 * an unreachable Redis fails the suite instead of skipping it.
 */
import { Redis } from 'ioredis';
import { ServiceUnavailable } from '../../src/errors.js';
import type { KeyValueStore } from '../../src/store/key-value-store.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore } from '../../src/store/redis-store.js';

const REDIS_URL = process.env.REDIS_URL;
/** The ioredis connection of a store from RedisStore.fromUrl, with ioredis' own types. */
const redisOf = (store: RedisStore): Redis => store.client as unknown as Redis;
// Unique per run, so parallel runs and other apps on the same Redis never see each other's keys.
const PREFIX = `koa-auth-test:store:${process.pid}:${Date.now()}:`;
const NOTHING_LISTENING_URL = 'redis://127.0.0.1:6390';

interface StoreOptions {
  onSubscriberError?: (error: unknown, channel: string) => void;
}

interface Backend {
  name: string;
  create(options?: StoreOptions): KeyValueStore;
}

const backends: Backend[] = [{ name: 'MemoryStore', create: (options) => new MemoryStore(options) }];
if (REDIS_URL) {
  backends.push({
    name: 'RedisStore',
    create: (options) => RedisStore.fromUrl(REDIS_URL, { prefix: PREFIX, ...options }),
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Poll until `check` stops throwing; pub/sub delivery is asynchronous by contract. */
async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(10);
    }
  }
}

/** Active handles that keep the process alive (unref'd timers are not listed). */
function liveHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) {
    if (type === 'TCPSocketWrap' || type === 'Timeout') counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

let counter = 0;
/** A fresh key per use, so tests never depend on each other's leftovers. */
const fresh = (label: string) => `${label}:${++counter}`;

describe.each(backends)('KeyValueStore contract: $name', ({ create }) => {
  let store: KeyValueStore;

  beforeAll(async () => {
    store = create();
    // Fails the whole suite (rather than skipping it) when REDIS_URL points at nothing.
    await store.get(fresh('probe'));
  });

  afterAll(async () => {
    await store?.close();
  });

  describe('get / set / delete', () => {
    test('a missing key reads as null', async () => {
      expect(await store.get(fresh('missing'))).toBeNull();
    });

    test('set then get, and set overwrites', async () => {
      const key = fresh('kv');
      await store.set(key, 'one');
      expect(await store.get(key)).toBe('one');
      await store.set(key, 'two');
      expect(await store.get(key)).toBe('two');
    });

    test('values are kept byte for byte', async () => {
      const key = fresh('kv');
      const value = JSON.stringify({ emoji: '🔑', quote: '"', empty: '' });
      await store.set(key, value);
      expect(await store.get(key)).toBe(value);
      await store.set(key, '');
      expect(await store.get(key)).toBe('');
    });

    test('delete removes a key; deleting a missing key is fine', async () => {
      const key = fresh('kv');
      await store.set(key, 'v');
      await store.delete(key);
      expect(await store.get(key)).toBeNull();
      await expect(store.delete(fresh('missing'))).resolves.toBeUndefined();
    });
  });

  describe('expiry', () => {
    test('a value set with a TTL disappears after it', async () => {
      const key = fresh('ttl');
      await store.set(key, 'v', 80);
      expect(await store.get(key)).toBe('v');
      await sleep(130);
      expect(await store.get(key)).toBeNull();
      expect(await store.ttl(key)).toBeNull();
    });

    test('ttl: remaining milliseconds, null when missing or without expiry', async () => {
      const key = fresh('ttl');
      expect(await store.ttl(key)).toBeNull();
      await store.set(key, 'v');
      expect(await store.ttl(key)).toBeNull();
      await store.set(key, 'v', 1000);
      const ttl = await store.ttl(key);
      expect(ttl).toBeGreaterThan(800);
      expect(ttl).toBeLessThanOrEqual(1000);
    });

    test('a set without TTL removes an earlier expiry (like Redis SET)', async () => {
      const key = fresh('ttl');
      await store.set(key, 'v', 60);
      await store.set(key, 'w');
      await sleep(100);
      expect(await store.get(key)).toBe('w');
    });

    test('TTLs must be positive', async () => {
      await expect(store.set(fresh('ttl'), 'v', 0)).rejects.toThrow(RangeError);
      await expect(store.set(fresh('ttl'), 'v', -5)).rejects.toThrow(RangeError);
      await expect(store.increment(fresh('ttl'), Number.NaN)).rejects.toThrow(RangeError);
    });
  });

  describe('setIfAbsent', () => {
    test('stores only when the key is absent', async () => {
      const key = fresh('nx');
      expect(await store.setIfAbsent(key, 'first')).toBe(true);
      expect(await store.setIfAbsent(key, 'second')).toBe(false);
      expect(await store.get(key)).toBe('first');
    });

    test('with a TTL the key frees up again once expired', async () => {
      const key = fresh('nx');
      expect(await store.setIfAbsent(key, 'first', 60)).toBe(true);
      expect(await store.ttl(key)).toBeGreaterThan(0);
      await sleep(100);
      expect(await store.setIfAbsent(key, 'second', 60)).toBe(true);
      expect(await store.get(key)).toBe('second');
    });

    test('of 20 concurrent callers exactly one wins, and its value is stored', async () => {
      const key = fresh('nx');
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent(key, `caller-${i}`, 5000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(key)).toBe(`caller-${results.indexOf(true)}`);
    });
  });

  describe('getAndDelete', () => {
    test('returns the value and removes the key', async () => {
      const key = fresh('getdel');
      await store.set(key, 'v');
      expect(await store.getAndDelete(key)).toBe('v');
      expect(await store.get(key)).toBeNull();
      expect(await store.getAndDelete(key)).toBeNull();
    });

    test('an expired key gives null', async () => {
      const key = fresh('getdel');
      await store.set(key, 'v', 50);
      await sleep(90);
      expect(await store.getAndDelete(key)).toBeNull();
    });

    test('of 20 concurrent callers exactly one gets the value', async () => {
      const key = fresh('getdel');
      await store.set(key, 'one-time');
      const results = await Promise.all(Array.from({ length: 20 }, () => store.getAndDelete(key)));
      expect(results.filter((value) => value !== null)).toEqual(['one-time']);
    });
  });

  describe('increment', () => {
    test('counts 1, 2, 3 and reads back as a string', async () => {
      const key = fresh('counter');
      expect(await store.increment(key, 1000)).toBe(1);
      expect(await store.increment(key, 1000)).toBe(2);
      expect(await store.increment(key, 1000)).toBe(3);
      expect(await store.get(key)).toBe('3');
    });

    test('the first increment sets the expiry; later ones do not extend it', async () => {
      const key = fresh('counter');
      await store.increment(key, 150);
      const first = await store.ttl(key);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(150);
      await sleep(60);
      expect(await store.increment(key, 10_000)).toBe(2);
      expect(await store.ttl(key)).toBeLessThanOrEqual(100);
      await sleep(120);
      // The window ran out: the counter starts again.
      expect(await store.increment(key, 150)).toBe(1);
    });

    test('20 concurrent increments yield 1..20 exactly once each', async () => {
      const key = fresh('counter');
      const results = await Promise.all(Array.from({ length: 20 }, () => store.increment(key, 5000)));
      expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    test('incrementing a non-integer value rejects', async () => {
      const key = fresh('counter');
      await store.set(key, 'not a number');
      await expect(store.increment(key, 1000)).rejects.toThrow(/not an integer/);
    });
  });

  describe('sets', () => {
    test('add, list, ignore duplicates, remove', async () => {
      const key = fresh('set');
      expect(await store.setMembers(key)).toEqual([]);
      await store.addToSet(key, 'a');
      await store.addToSet(key, 'b');
      await store.addToSet(key, 'a');
      expect((await store.setMembers(key)).sort()).toEqual(['a', 'b']);
      await store.removeFromSet(key, 'a');
      await store.removeFromSet(key, 'not-a-member');
      expect(await store.setMembers(key)).toEqual(['b']);
      await store.removeFromSet(key, 'b');
      expect(await store.setMembers(key)).toEqual([]);
      await store.removeFromSet(fresh('missing'), 'x');
    });

    test('a TTL expires the whole set; adding without TTL keeps the expiry', async () => {
      const key = fresh('set');
      await store.addToSet(key, 'a', 100);
      await store.addToSet(key, 'b');
      expect(await store.ttl(key)).toBeGreaterThan(0);
      await sleep(150);
      expect(await store.setMembers(key)).toEqual([]);
    });

    test('adding with a TTL resets the whole set’s expiry', async () => {
      const key = fresh('set');
      await store.addToSet(key, 'a', 100);
      await sleep(20);
      await store.addToSet(key, 'b', 1000);
      await sleep(130);
      expect((await store.setMembers(key)).sort()).toEqual(['a', 'b']);
    });

    test('reading a set as a string (or the reverse) rejects, as in Redis', async () => {
      const setKey = fresh('set');
      const stringKey = fresh('kv');
      await store.addToSet(setKey, 'a');
      await store.set(stringKey, 'v');
      await expect(store.get(setKey)).rejects.toThrow(/WRONGTYPE/);
      await expect(store.setMembers(stringKey)).rejects.toThrow(/WRONGTYPE/);
    });
  });

  describe('publish / subscribe', () => {
    test('a message reaches the subscriber, in order, only on its channel', async () => {
      const channel = fresh('channel');
      const received: string[] = [];
      const other: string[] = [];
      const unsubscribe = await store.subscribe(channel, (message) => received.push(message));
      const unsubscribeOther = await store.subscribe(fresh('channel'), (message) => other.push(message));
      for (const message of ['1', '2', '3']) await store.publish(channel, message);
      await eventually(() => expect(received).toEqual(['1', '2', '3']));
      expect(other).toEqual([]);
      await unsubscribe();
      await unsubscribeOther();
    });

    test('the publisher never runs subscriber code synchronously', async () => {
      const channel = fresh('channel');
      let delivered = false;
      const unsubscribe = await store.subscribe(channel, () => {
        delivered = true;
      });
      const published = store.publish(channel, 'x');
      expect(delivered).toBe(false);
      await published;
      await eventually(() => expect(delivered).toBe(true));
      await unsubscribe();
    });

    test('unsubscribe stops delivery', async () => {
      const channel = fresh('channel');
      const received: string[] = [];
      const unsubscribe = await store.subscribe(channel, (message) => received.push(message));
      await store.publish(channel, 'before');
      await eventually(() => expect(received).toEqual(['before']));
      await unsubscribe();
      await unsubscribe(); // idempotent
      await store.publish(channel, 'after');
      await sleep(100);
      expect(received).toEqual(['before']);
    });

    test('two subscribers on one channel both receive; one leaving does not affect the other', async () => {
      const channel = fresh('channel');
      const first: string[] = [];
      const second: string[] = [];
      const unsubscribeFirst = await store.subscribe(channel, (message) => first.push(message));
      const unsubscribeSecond = await store.subscribe(channel, (message) => second.push(message));
      await store.publish(channel, 'both');
      await eventually(() => {
        expect(first).toEqual(['both']);
        expect(second).toEqual(['both']);
      });
      await unsubscribeFirst();
      await store.publish(channel, 'second only');
      await eventually(() => expect(second).toEqual(['both', 'second only']));
      expect(first).toEqual(['both']);
      await unsubscribeSecond();
    });

    test('overlapping subscribe/unsubscribe calls end up consistent', async () => {
      const channel = fresh('channel');
      const received: string[] = [];
      const [a, b] = await Promise.all([store.subscribe(channel, () => received.push('a')), store.subscribe(channel, () => received.push('b'))]);
      await Promise.all([a(), b(), store.subscribe(channel, () => received.push('c'))]);
      await store.publish(channel, 'm');
      await eventually(() => expect(received).toEqual(['c']));
    });

    test('a throwing subscriber does not break the others and is reported', async () => {
      const errors: Array<{ error: unknown; channel: string }> = [];
      const isolated = create({ onSubscriberError: (error, channel) => errors.push({ error, channel }) });
      try {
        const channel = fresh('channel');
        const received: string[] = [];
        await isolated.subscribe(channel, () => {
          throw new Error('boom');
        });
        await isolated.subscribe(channel, (message) => received.push(message));
        await isolated.publish(channel, 'm1');
        await isolated.publish(channel, 'm2');
        await eventually(() => expect(received).toEqual(['m1', 'm2']));
        expect(errors).toHaveLength(2);
        expect(errors[0]?.channel).toBe(channel);
        expect(errors[0]?.error).toBeInstanceOf(Error);
        expect((errors[0]?.error as Error | undefined)?.message).toBe('boom');
      } finally {
        await isolated.close();
      }
    });
  });

  describe('close', () => {
    test('leaves no open handles (including after pub/sub) and may be called twice', async () => {
      const before = liveHandles();
      const closing = create();
      const key = fresh('close');
      await closing.set(key, 'v', 1000);
      await closing.subscribe(fresh('channel'), () => undefined);
      await closing.close();
      await closing.close();
      await eventually(() => expect(liveHandles()).toEqual(before));
    });
  });
});

describe('MemoryStore', () => {
  test('the sweep timer never keeps the process alive, and close() clears it', async () => {
    const realSetInterval = globalThis.setInterval;
    const timers: NodeJS.Timeout[] = [];
    globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
      const timer = realSetInterval(...args);
      timers.push(timer);
      return timer;
    }) as typeof setInterval;
    let store: MemoryStore;
    try {
      store = new MemoryStore({ sweepIntervalMs: 20 });
    } finally {
      globalThis.setInterval = realSetInterval;
    }
    expect(timers).toHaveLength(1);
    expect(timers[0]?.hasRef()).toBe(false);
    await store.close();
    // A cleared Node timer no longer fires: the sweep would otherwise have run by now.
    const sweep = spyOnSweep(store);
    await sleep(60);
    expect(sweep.calls).toBe(0);
  });

  test('the sweep drops expired entries nobody reads', async () => {
    const store = new MemoryStore({ sweepIntervalMs: 20 });
    try {
      await store.set('a', 'v', 10);
      await store.addToSet('b', 'm', 10);
      await store.set('c', 'kept');
      await sleep(60);
      const entries = (store as unknown as { entries: Map<string, unknown> }).entries;
      expect([...entries.keys()]).toEqual(['c']);
    } finally {
      await store.close();
    }
  });

  test('rejects a negative sweep interval', () => {
    expect(() => new MemoryStore({ sweepIntervalMs: -1 })).toThrow(RangeError);
  });
});

/** Count calls of the private sweep (no `jest` object is needed in native ESM mode). */
function spyOnSweep(store: MemoryStore): { calls: number } {
  const spy = { calls: 0 };
  const target = store as unknown as { sweep: () => void };
  const original = target.sweep.bind(store);
  target.sweep = () => {
    spy.calls += 1;
    original();
  };
  return spy;
}

describe('RedisStore without a reachable Redis', () => {
  test('a command rejects with ServiceUnavailable within ~2 s instead of hanging', async () => {
    const before = liveHandles();
    const store = RedisStore.fromUrl(NOTHING_LISTENING_URL, { prefix: PREFIX });
    try {
      const started = Date.now();
      const error = await store.get('anything').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ServiceUnavailable);
      expect((error as ServiceUnavailable).code).toBe('service_unavailable');
      expect(Date.now() - started).toBeLessThan(2000);
      await expect(store.subscribe('channel', () => undefined)).rejects.toBeInstanceOf(ServiceUnavailable);
    } finally {
      await store.close();
    }
    // Nothing (reconnect timers, sockets) outlives close(), even though Redis never answered.
    await eventually(() => expect(liveHandles()).toEqual(before));
  });
});

const describeRedis = REDIS_URL ? describe : describe.skip;

describeRedis('RedisStore with Redis', () => {
  const url = REDIS_URL ?? '';
  let admin: Redis;
  let store: RedisStore;

  /** A plain client that fails fast and lets the process exit even when Redis is down. */
  const connect = () => {
    const client = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 2000, disconnectTimeout: 200 });
    client.on('error', () => undefined);
    return client;
  };

  beforeAll(async () => {
    admin = connect();
    store = RedisStore.fromUrl(url, { prefix: PREFIX });
    await admin.ping();
  });

  afterAll(async () => {
    await store?.close();
    if (!admin) return;
    try {
      // Remove everything this run wrote (all of it lives under PREFIX).
      let cursor = '0';
      do {
        const [next, keys] = await admin.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
        if (keys.length > 0) await admin.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      admin.disconnect();
    }
  });

  test('keys are stored under the prefix', async () => {
    const key = fresh('prefixed');
    await store.set(key, 'v');
    expect(await admin.get(`${PREFIX}${key}`)).toBe('v');
    expect(store.prefix).toBe(PREFIX);
    const defaults = RedisStore.fromUrl(url);
    expect(defaults.prefix).toBe('koa-auth:');
    await defaults.close();
  });

  test('a second instance with the same prefix shares data and receives published messages', async () => {
    const other = RedisStore.fromUrl(url, { prefix: PREFIX });
    try {
      const key = fresh('shared');
      await store.set(key, 'from first');
      expect(await other.get(key)).toBe('from first');

      const channel = fresh('channel');
      const received: string[] = [];
      await other.subscribe(channel, (message) => received.push(message));
      await store.publish(channel, 'cross-instance');
      await eventually(() => expect(received).toEqual(['cross-instance']));
    } finally {
      await other.close();
    }
  });

  test('a different prefix sees neither the keys nor the messages', async () => {
    const foreign = RedisStore.fromUrl(url, { prefix: `${PREFIX}other:` });
    try {
      const key = fresh('isolated');
      await store.set(key, 'mine');
      expect(await foreign.get(key)).toBeNull();

      const channel = fresh('channel');
      const received: string[] = [];
      await foreign.subscribe(channel, (message) => received.push(message));
      await store.publish(channel, 'not for you');
      await sleep(100);
      expect(received).toEqual([]);
    } finally {
      await foreign.close();
    }
  });

  test('close() leaves a client passed in open, but closes its own subscriber connection', async () => {
    const client = connect();
    try {
      const borrowed = new RedisStore({ client, prefix: PREFIX });
      expect(borrowed.client).toBe(client);
      await borrowed.subscribe(fresh('channel'), () => undefined);
      const sockets = liveHandles().TCPSocketWrap ?? 0;
      await borrowed.close();
      expect(client.status).toBe('ready');
      expect(await client.ping()).toBe('PONG');
      await eventually(() => expect(liveHandles().TCPSocketWrap ?? 0).toBe(sockets - 1));
    } finally {
      client.disconnect();
    }
  });

  test('the client reconnects by itself after losing its connection', async () => {
    const key = fresh('reconnect');
    await store.set(key, 'v');
    const id = await redisOf(store).client('ID');
    await admin.client('KILL', 'ID', String(id));
    await eventually(() => expect(store.client.status).not.toBe('ready'), 1000).catch(() => undefined);
    await eventually(() => expect(store.client.status).toBe('ready'));
    expect(await store.get(key)).toBe('v');
  });
});
