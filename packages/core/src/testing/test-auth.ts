import type { Knex } from 'knex';
import type { Auth } from '../auth.js';
import { createAuth, type CreateAuthOptions } from '../create-auth.js';
import { defaultHashers } from '../hashers/default-hashers.js';
import type { Migration } from '../migrations/migration.js';
import type { AbstractUser } from '../models/abstract-user.js';
import type { User } from '../models/user.js';
import type { KeyValueStore } from '../store/key-value-store.js';
import { MemoryStore } from '../store/memory-store.js';
import { HashCounter } from './hash-counter.js';
import { createTestDb, type TestDb } from './test-db.js';

/** The signing secret of test auths (never use it outside tests). */
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** createAuth's options, all optional: tests override only what they are about. */
export type TestAuthOnOptions<U extends AbstractUser = User> = Partial<Omit<CreateAuthOptions<U>, 'knex'>>;

/**
 * An auth on a database the test already has (e.g. several auths on one database: two app
 * instances, secret rotation). Defaults: TEST_SECRET, phone region CN, real but cheap hashing
 * (scrypt logN 10, then Django's formats) counted by the returned HashCounter — `hashers`
 * replaces the list and is counted too. Every other option is createAuth's, passed through.
 */
export function testAuthOn<U extends AbstractUser = User>(knex: Knex, options: TestAuthOnOptions<U> = {}): { auth: Auth<U>; counter: HashCounter } {
  const counter = new HashCounter();
  const auth = createAuth<U>({
    secret: TEST_SECRET,
    phoneRegion: 'CN',
    ...options,
    knex,
    hashers: counter.wrap(options.hashers ?? defaultHashers({ logN: 10 })),
  });
  return { auth, counter };
}

/** Options of {@link createTestAuth}: createAuth's, plus where the database comes from. */
export interface TestAuthOptions<U extends AbstractUser = User> extends TestAuthOnOptions<U> {
  /** Names the test's database when DATABASE_URL points at MySQL (see createTestDb). Default 'koa-auth'. */
  name?: string;
  /** Migrations to run after core's (e.g. wechatMigrations). */
  migrations?: Migration[];
}

/** A ready auth from {@link createTestAuth}: use it, then `await close()` (e.g. in afterAll). */
export interface TestAuth<U extends AbstractUser = User> {
  auth: Auth<U>;
  knex: Knex;
  db: TestDb;
  store: KeyValueStore;
  counter: HashCounter;
  /** Closes the store it made (not one passed in) and destroys the database. */
  close(): Promise<void>;
}

/**
 * An auth ready to use, in one call: a new migrated database (SQLite in memory, see
 * createTestDb), a MemoryStore (unless `store` is given) and the cheap counted hashing of
 * {@link testAuthOn}. Needs better-sqlite3 (or DATABASE_URL=mysql://… and mysql2).
 *
 * ```ts
 * const { auth, close } = await createTestAuth();
 * afterAll(close);
 * ```
 */
export async function createTestAuth<U extends AbstractUser = User>(options: TestAuthOptions<U> = {}): Promise<TestAuth<U>> {
  const { name = 'koa-auth', migrations = [], ...authOptions } = options;
  const db = await createTestDb(name, migrations);
  const ownStore = authOptions.store ? undefined : new MemoryStore({ sweepIntervalMs: 0 });
  const store = authOptions.store ?? ownStore!;
  try {
    const { auth, counter } = testAuthOn<U>(db.knex, { ...authOptions, store });
    return {
      auth,
      knex: db.knex,
      db,
      store,
      counter,
      async close() {
        try {
          await ownStore?.close();
        } finally {
          await db.destroy();
        }
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
