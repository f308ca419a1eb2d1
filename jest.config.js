// Jest runs in native ESM mode (node --experimental-vm-modules) because scrypt-kdf 4 and
// other dependencies are ESM-only; @swc/jest strips types without changing module format.
import { createRequire } from 'node:module';

// libphonenumber-js's ESM build imports its metadata JSON without an import attribute, which
// jest warns about on every file; its CommonJS build is the same code without the warning.
const requireFromCore = createRequire(new URL('./packages/core/package.json', import.meta.url));

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: false },
          target: 'es2022',
          // Class fields must keep TypeScript semantics (declare-only fields do not shadow
          // objection's property handling).
          transform: { useDefineForClassFields: false },
        },
        module: { type: 'es6' },
      },
    ],
  },
  // Source imports use NodeNext-style ".js" suffixes; map them back to the .ts files, and
  // map workspace packages to their sources so tests never need a build first.
  moduleNameMapper: {
    '^@koa-auth/(core|koa|wechat|wechat-emulator|client|cli)$': '<rootDir>/packages/$1/src/index.ts',
    // Subpath entries (`@koa-auth/core/internal`, `@koa-auth/koa/testing`, …) live beside index.ts.
    '^@koa-auth/(core|koa|wechat|wechat-emulator|client|cli)/([a-z-]+)$': '<rootDir>/packages/$1/src/$2.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^libphonenumber-js/max$': requireFromCore.resolve('libphonenumber-js/max'),
  },
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/apps/*/test/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    '/dist/',
    '<rootDir>/test/e2e/',
    // Outage tests start and stop servers of their own (redis-server, mariadbd): they belong to
    // the service-backed run (`pnpm test:services`, in CI), where a missing server fails them.
    ...(process.env.REDIS_URL ? [] : ['<rootDir>/test/faults/redis-unavailable\\.test\\.ts']),
    ...(process.env.DATABASE_URL ? [] : ['<rootDir>/test/faults/mariadb-unavailable\\.test\\.ts']),
  ],
  testTimeout: 30000,
};
