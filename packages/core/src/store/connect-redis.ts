import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';
import { ImproperlyConfigured } from '../errors.js';

// Internal (not re-exported): its types name ioredis, which apps on the memory store lack.

/** Opens an ioredis connection, loading ioredis only now: a clear error when it is not installed. */
export function connectRedis(url: string, options: RedisOptions): Redis {
  let ioredis: { Redis: new (url: string, options: RedisOptions) => Redis };
  try {
    ioredis = createRequire(import.meta.url)('ioredis') as typeof ioredis;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new ImproperlyConfigured('RedisStore needs the ioredis package: npm install ioredis');
  }
  return new ioredis.Redis(url, options);
}
