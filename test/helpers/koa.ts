/**
 * Koa itself, for the cross-package tests. `koa` is a dependency of @koa-auth/koa, not of this
 * folder, so it is loaded from that package's own node_modules; the type comes from the koa
 * package's test helper, which already names it.
 */
import { createRequire } from 'node:module';
import type { TestApp } from '../../packages/koa/test/helpers/test-app.js';

export type KoaApp = TestApp['app'];

const requireFromKoaPackage = createRequire(new URL('../../packages/koa/package.json', import.meta.url));

/** The Koa class (the same module the packages use). */
export const Koa = requireFromKoaPackage('koa') as new () => KoaApp;
