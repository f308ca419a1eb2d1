/**
 * @koa-auth/koa/testing — helpers for testing an app over HTTP: a TestClient (cookie jar, tRPC
 * queries and mutations), a full koaAuth() app on a free port, and a mail sender that keeps
 * what it sends. Covered by semver like the root entry. Auths and databases for tests come
 * from `@koa-auth/core/testing`. Re-exports only.
 */
export { TestClient, type TrpcResult } from './testing/test-client.js';
export { startTestApp, TEST_PUBLIC_URL, type TestApp, type TestAppOptions } from './testing/test-app.js';
export { MemoryMailSender } from '@koa-auth/core/testing';
