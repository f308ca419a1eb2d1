// The browser tests: the root Jest config (same ESM transform and module mapping), limited to
// test/e2e. Each test file starts the built demo (apps/demo/dist) as a child process, so run
// `pnpm build` first — the root `test:e2e` script does.
import rootConfig from '../../jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...rootConfig,
  rootDir: '../..',
  testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Browser steps and scrypt hashing are slow on small CI machines.
  testTimeout: 120_000,
  // Each file runs a browser and a server: two at a time is plenty.
  maxWorkers: 2,
};
