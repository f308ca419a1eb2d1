// ESM consumers: the same entry points through import.
import assert from 'node:assert/strict';
import { createAuth } from '@koa-auth/core';
import { authMiddleware } from '@koa-auth/koa';
import { createAuthClient } from '@koa-auth/client';
import { createTestAuth, TEST_SECRET } from '@koa-auth/core/testing';
import { startTestApp, TestClient } from '@koa-auth/koa/testing';
import { markBackend } from '@koa-auth/core/internal';
import { ConsoleSmsSender, PhoneCodeBackend } from '@koa-auth/core/sms';
import { authStateOf } from '@koa-auth/koa/internal';

assert.equal(typeof createAuth, 'function');
assert.equal(typeof authMiddleware, 'function');
assert.equal(typeof createAuthClient, 'function');
// The subpath entries load; the test helpers need a database driver only when called, and
// without one createTestAuth fails with the one line naming the package to install.
assert.equal(typeof startTestApp, 'function');
assert.equal(typeof new TestClient('http://127.0.0.1:1').cookieHeader, 'function');
assert.equal(typeof TEST_SECRET, 'string');
assert.equal(typeof markBackend, 'function');
assert.equal(typeof PhoneCodeBackend, 'function');
assert.equal(typeof new ConsoleSmsSender().send, 'function');
assert.equal(typeof authStateOf, 'function');
delete process.env.DATABASE_URL; // the SQLite default, whatever the CI's environment
await assert.rejects(createTestAuth(), (error) => {
  assert.equal(error.name, 'ImproperlyConfigured');
  assert.match(error.message, /needs the better-sqlite3 package: npm install better-sqlite3$/);
  return true;
});
console.log('import: ok');
