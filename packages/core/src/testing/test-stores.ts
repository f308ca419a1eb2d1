import type { KeyValueStore } from '../store/key-value-store.js';
import { MemoryStore } from '../store/memory-store.js';
import { RedisStore } from '../store/redis-store.js';

/**
 * The Redis commands the test helpers use, on a store's ioredis connection (typed here so
 * that these helpers' published types need no ioredis).
 */
export interface TestRedisCommands {
  keys(pattern: string): Promise<string[]>;
  scan(cursor: string, match: 'MATCH', pattern: string, count: 'COUNT', size: number): Promise<[string, string[]]>;
  del(...keys: string[]): Promise<number>;
}

/** The ioredis connection of a RedisStore, with the commands tests use. */
export function redisOf(store: RedisStore): TestRedisCommands {
  return store.client as unknown as TestRedisCommands;
}

/** Deletes the keys matching `pattern` with SCAN (never KEYS on a shared server). */
export async function deleteKeys(store: RedisStore, pattern: string): Promise<void> {
  const redis = redisOf(store);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A key prefix no other test file (or run) uses. */
function testPrefix(name: string): string {
  return `koa-auth-test:${name}:${process.pid}:${Date.now()}:`;
}

/**
 * One store for a test file: a RedisStore with a prefix of its own when the REDIS_URL
 * environment variable is set, else a new MemoryStore. The caller closes it.
 */
export function createTestStore(name: string): KeyValueStore {
  const url = process.env.REDIS_URL;
  if (url) return RedisStore.fromUrl(url, { prefix: testPrefix(name) });
  return new MemoryStore();
}

/**
 * The stores of a test file that runs several app instances: with REDIS_URL set, each `open()`
 * is a new Redis connection to the same keys (instances share state only through Redis), else
 * every `open()` is the file's one MemoryStore. With REDIS_URL set and Redis down, operations
 * reject with ServiceUnavailable and the tests fail: nothing here skips.
 */
export class TestStores {
  readonly prefix: string;
  private readonly opened: KeyValueStore[] = [];
  private memory: MemoryStore | undefined;

  constructor(name: string) {
    this.prefix = testPrefix(name);
  }

  /** Which store `open()` returns. */
  get kind(): 'redis' | 'memory' {
    return process.env.REDIS_URL ? 'redis' : 'memory';
  }

  /** A store as one app instance opens it. */
  open(): KeyValueStore {
    const url = process.env.REDIS_URL;
    if (url) {
      const store = RedisStore.fromUrl(url, { prefix: this.prefix });
      this.opened.push(store);
      return store;
    }
    this.memory ??= new MemoryStore({ sweepIntervalMs: 0 });
    if (!this.opened.includes(this.memory)) this.opened.push(this.memory);
    return this.memory;
  }

  /** Deletes this file's keys (Redis) and closes every store opened. */
  async close(): Promise<void> {
    const redis = this.opened.find((store): store is RedisStore => store instanceof RedisStore);
    try {
      if (redis) await deleteKeys(redis, `${this.prefix}*`);
    } finally {
      await Promise.all(this.opened.map((store) => store.close()));
    }
  }
}
