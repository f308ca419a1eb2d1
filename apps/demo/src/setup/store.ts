/**
 * The key-value store for sessions, JWT families, login throttling and WeChat QR states:
 * Redis when REDIS_URL is set (shared by every instance, survives restarts), else memory.
 */
import { MemoryStore, RedisStore, type KeyValueStore } from '@koa-auth/core';
import { redactUrl } from '@koa-auth/core/internal';

export interface DemoStore {
  store: KeyValueStore;
  /** For the start-up message: never holds a password. */
  description: string;
}

export function openStore(redisUrl: string | null, prefix: string): DemoStore {
  if (redisUrl) return { store: RedisStore.fromUrl(redisUrl, { prefix }), description: `Redis ${redactUrl(redisUrl)} (key prefix ${prefix})` };
  return { store: new MemoryStore(), description: 'in-memory (this process only; sessions end when it stops; set REDIS_URL to keep them)' };
}
