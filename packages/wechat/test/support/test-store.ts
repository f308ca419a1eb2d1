/**
 * Key-value stores for the WeChat tests: RedisStore when REDIS_URL is set (a prefix unique to
 * the file and process, keys deleted afterwards), else one MemoryStore. With REDIS_URL set and
 * Redis down, commands reject with ServiceUnavailable and the tests fail rather than skip.
 */
import { MemoryStore, RedisStore, type KeyValueStore } from '@koa-auth/core';

export const REDIS_URL = process.env.REDIS_URL;

export class TestStores {
  readonly prefix: string;
  private readonly opened: KeyValueStore[] = [];
  private memory: MemoryStore | undefined;

  constructor(name: string) {
    this.prefix = `koa-auth-test:wechat:${name}:${process.pid}:${Date.now()}:`;
  }

  /** A store as one app instance opens it: a new Redis connection to the same keys, or the shared MemoryStore. */
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

  async close(): Promise<void> {
    const redis = this.opened.find((store): store is RedisStore => store instanceof RedisStore);
    try {
      if (redis) {
        const keys = await redis.client.keys(`${this.prefix}*`);
        if (keys.length > 0) await redis.client.del(...keys);
      }
    } finally {
      await Promise.all(this.opened.map((store) => store.close()));
    }
  }
}
