/**
 * Koa itself, for the cross-package tests. `koa` is a dependency of @koa-auth/koa, not of this
 * folder, so it is loaded from that package's own node_modules; the type comes from
 * @koa-auth/koa/testing's TestApp, which already names it.
 */
import { createRequire } from 'node:module';
import type { TestApp } from '@koa-auth/koa/testing';

export type KoaApp = TestApp['app'];

const requireFromKoaPackage = createRequire(new URL('../../packages/koa/package.json', import.meta.url));

/** The Koa class (the same module the packages use). */
export const Koa = requireFromKoaPackage('koa') as new () => KoaApp;
