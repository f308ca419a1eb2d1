/**
 * @koa-auth/core/testing — helpers for the tests of an app (and of koa-auth itself): a ready
 * auth on a fresh migrated database, databases and stores per test file, a hash counter.
 * Covered by semver like the root entry. Needs better-sqlite3 for the default in-memory
 * database (or DATABASE_URL=mysql://… and mysql2; REDIS_URL switches the test stores to Redis).
 * Re-exports only.
 */
export { createTestAuth, testAuthOn, TEST_SECRET, type TestAuth, type TestAuthOptions, type TestAuthOnOptions } from './testing/test-auth.js';
export { createTestDb, countQueries, type TestDb, type TestDbOptions } from './testing/test-db.js';
export { createTestStore, TestStores, redisOf, deleteKeys, type TestRedisCommands } from './testing/test-stores.js';
export { HashCounter } from './testing/hash-counter.js';
export { MemoryMailSender } from './mail/memory-mail-sender.js';
export { MemorySmsSender } from './sms/memory-sms-sender.js';
