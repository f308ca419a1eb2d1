// CommonJS consumers: require() of the ESM packages works on Node >= 20.19 (require(esm)), and a
// missing optional driver is one clear error naming the package to install.
'use strict';
const assert = require('node:assert/strict');

const core = require('@koa-auth/core');
const koa = require('@koa-auth/koa');
const client = require('@koa-auth/client');
assert.equal(typeof core.createAuth, 'function');
assert.equal(typeof koa.authMiddleware, 'function');
assert.equal(typeof client.createAuthClient, 'function');
assert.equal(require('@koa-auth/core/package.json').name, '@koa-auth/core');
assert.equal(typeof require('@koa-auth/core/testing').createTestAuth, 'function');
assert.equal(typeof require('@koa-auth/core/sms').PhoneCodeBackend, 'function');
assert.equal(typeof require('@koa-auth/koa/testing').TestClient, 'function');

for (const [url, driver] of [
  ['sqlite:data/app.db', 'better-sqlite3'],
  ['mysql://root@127.0.0.1:3306/app', 'mysql2'],
]) {
  assert.throws(
    () => core.createKnex(url),
    (error) => {
      assert.equal(error.name, 'ImproperlyConfigured');
      assert.match(error.message, new RegExp(`needs the ${driver} package: npm install ${driver}$`));
      return true;
    },
  );
}
assert.throws(() => core.RedisStore.fromUrl('redis://127.0.0.1:6379'), /RedisStore needs the ioredis package: npm install ioredis$/);
console.log('require(): ok');
