/**
 * The typed client never sends a batch larger than the server accepts (koaTrpc's maxBatchSize,
 * default 10): many concurrent calls go out as several requests of at most 10 calls each, and
 * all succeed.
 */
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp } from '@koa-auth/koa/testing';
import { createAuthClient } from '../src/index.js';
import type { TestAppRouter } from './support/app-router.js';

let db: TestDb;
let store: ReturnType<typeof createTestStore>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDb('client/batch-size');
  store = createTestStore('client-batch-size');
  t = await startTestApp(db, { store });
});
afterAll(async () => {
  await t.close();
  await store.close();
  await db.destroy();
});

/** A fetch that records how many calls each request carried. */
function countingFetch(sizes: number[]): typeof fetch {
  return (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    sizes.push(decodeURIComponent(url.pathname.slice(url.pathname.indexOf('/trpc/') + 6)).split(',').length);
    return fetch(input, init);
  };
}

describe('batch size', () => {
  it('25 concurrent calls go out in batches of at most 10, and all are answered', async () => {
    const sizes: number[] = [];
    const client = createAuthClient<TestAppRouter>({ url: `${t.url}/trpc`, mode: 'cookie', fetch: countingFetch(sizes) });
    const answers = await Promise.all(Array.from({ length: 25 }, () => client.auth.me.query()));
    expect(answers).toEqual(Array.from({ length: 25 }, () => null));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(25);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
  });

  it('follows a lower maxBatchItems', async () => {
    const sizes: number[] = [];
    const client = createAuthClient<TestAppRouter>({ url: `${t.url}/trpc`, mode: 'cookie', fetch: countingFetch(sizes), maxBatchItems: 3 });
    await Promise.all(Array.from({ length: 7 }, () => client.auth.me.query()));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(7);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
  });
});
