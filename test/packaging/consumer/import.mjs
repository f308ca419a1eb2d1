// ESM consumers: the same entry points through import.
import assert from 'node:assert/strict';
import { createAuth } from '@koa-auth/core';
import { authMiddleware } from '@koa-auth/koa';
import { createAuthClient } from '@koa-auth/client';

assert.equal(typeof createAuth, 'function');
assert.equal(typeof authMiddleware, 'function');
assert.equal(typeof createAuthClient, 'function');
console.log('import: ok');
