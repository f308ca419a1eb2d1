/**
 * Shared set-up of the token tests: a migrated database (SQLite, or MariaDB with DATABASE_URL)
 * and a key-value store — MemoryStore by default, RedisStore when REDIS_URL is set. With
 * REDIS_URL set and Redis down, the tests fail (ServiceUnavailable) rather than skip.
 */
import { MemoryStore, RedisStore, type Auth, type CreateAuthOptions, type KeyValueStore, type User } from '@koa-auth/core';
import { createTestAuth } from '../../../core/test/helpers/test-auth.js';
import { createTestDb, type TestDb } from '../../../core/test/helpers/test-db.js';
import { redisOf } from '../../../core/test/helpers/test-stores.js';

const REDIS_URL = process.env.REDIS_URL;
// Unique per test process, so parallel test files and runs never see each other's keys.
const REDIS_PREFIX = `koa-auth-test:tokens:${process.pid}:`;

export const PASSWORD = 'correct horse battery staple';
export const OTHER_SECRET = 'another-secret-another-secret-another-secret-42';

export const storeKind = REDIS_URL ? 'RedisStore' : 'MemoryStore';

/** The database, the stores and a fresh registry prefix per test. */
export class TokenFixtures {
  db!: TestDb;
  private readonly stores: KeyValueStore[] = [];
  private sharedMemory: MemoryStore | undefined;
  private prefixCounter = 0;

  constructor(private readonly name: string) {}

  async setUp(): Promise<void> {
    this.db = await createTestDb(this.name);
  }

  async tearDown(): Promise<void> {
    try {
      const redis = this.stores.find((store): store is RedisStore => store instanceof RedisStore);
      if (redis) await deleteKeys(redis, `${REDIS_PREFIX}*`);
    } finally {
      await Promise.all(this.stores.map((store) => store.close()));
      await this.db?.destroy();
    }
  }

  /**
   * A store as another server instance would open it: with Redis a new connection to the same
   * keys; in memory the one shared store (a single process has nothing else to share).
   */
  openStore(): KeyValueStore {
    if (REDIS_URL) {
      const store = RedisStore.fromUrl(REDIS_URL, { prefix: REDIS_PREFIX });
      this.stores.push(store);
      return store;
    }
    if (!this.sharedMemory) {
      this.sharedMemory = new MemoryStore({ sweepIntervalMs: 0 });
      this.stores.push(this.sharedMemory);
    }
    return this.sharedMemory;
  }

  /** A registry prefix no other test uses (SQLite reuses user ids after deletes). */
  freshPrefix(): string {
    this.prefixCounter += 1;
    return `tokens:${this.prefixCounter}:`;
  }

  /** An auth on the test database and the given (default: a new connection to the) store. */
  auth(options: Partial<CreateAuthOptions<User>> = {}): Auth<User> {
    return createTestAuth<User>(this.db.knex, { store: this.openStore(), ...options }).auth;
  }

  async createUser(auth: Auth<User>, username = 'alice'): Promise<User> {
    return auth.users.createUser({ username, email: `${username}@example.com`, password: PASSWORD });
  }

  async setActive(user: User, isActive: boolean): Promise<void> {
    await this.db.knex('auth_user').where({ id: user.id }).update({ is_active: isActive });
  }

  async clearUsers(): Promise<void> {
    await this.db.knex('auth_user').delete();
  }
}

async function deleteKeys(store: RedisStore, pattern: string): Promise<void> {
  const keys = await redisOf(store).keys(pattern);
  if (keys.length > 0) await redisOf(store).del(...keys);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
