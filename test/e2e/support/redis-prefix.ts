/**
 * The Redis key prefix of a test file's demo (when REDIS_URL is set): unique per file and run,
 * so parallel files and earlier runs never meet; its keys are deleted afterwards.
 */
import { RedisStore } from '@koa-auth/core';
import { redisOf } from '@koa-auth/core/testing';

export interface TestRedisPrefix {
  url: string;
  prefix: string;
  cleanup(): Promise<void>;
}

export function createTestRedisPrefix(name: string): TestRedisPrefix | undefined {
  const url = process.env.REDIS_URL;
  if (!url) return undefined;
  const prefix = `koa-auth-demo-e2e:${name}:${process.pid}:${Date.now()}:`;
  return {
    url,
    prefix,
    async cleanup() {
      const store = RedisStore.fromUrl(url, { prefix });
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redisOf(store).scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await redisOf(store).del(...keys);
        } while (cursor !== '0');
      } finally {
        await store.close();
      }
    },
  };
}
