/**
 * Key-value stores for one test file: RedisStore on REDIS_URL with a prefix of its own (keys
 * deleted afterwards), else one MemoryStore shared by every "instance" of the file. With
 * REDIS_URL set and Redis down, `open()` stores reject with ServiceUnavailable and the tests
 * fail: nothing here skips.
 */
import { MemoryStore, RedisStore, type KeyValueStore } from '@koa-auth/core';
import type { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL;

export class TestStores {
  readonly prefix: string;
  private readonly opened: KeyValueStore[] = [];
  private memory: MemoryStore | undefined;

  constructor(name: string) {
    this.prefix = `koa-auth-test:${name}:${process.pid}:${Date.now()}:`;
  }

  get kind(): 'redis' | 'memory' {
    return REDIS_URL ? 'redis' : 'memory';
  }

  /**
   * A store as one app instance opens it: a new Redis connection to the same keys (so two
   * instances share state only through Redis), or the file's one MemoryStore.
   */
  open(): KeyValueStore {
    if (REDIS_URL) {
      const store = RedisStore.fromUrl(REDIS_URL, { prefix: this.prefix });
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

/**
 * The ioredis connection of a store from RedisStore.fromUrl, with ioredis' types (the store
 * types it structurally, so that core's published types need no ioredis).
 */
export function redisOf(store: RedisStore): Redis {
  return store.client as unknown as Redis;
}

/** Delete keys matching `pattern` with SCAN (never KEYS on a shared server). */
export async function deleteKeys(store: RedisStore, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redisOf(store).scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redisOf(store).del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
