import { ensurePermission, grantUserPermission, type User } from '@koa-auth/core';
import { z } from 'zod';
import { createTestDb, type TestDb } from '../../../core/test/helpers/test-db.js';
import { createTestStore, startTestApp, type TestApp } from '../helpers/test-app.js';
import { permissionProcedure, protectedProcedure } from '../../src/trpc/procedures.js';
import { publicProcedure, router } from '../../src/trpc/trpc.js';
import { koaTrpc } from '../../src/trpc/koa-trpc.js';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let t: TestApp;
let store: ReturnType<typeof createTestStore>;

/** A router of an app's own procedures, mounted at /api beside the auth router at /trpc. */
const appRouter = router({
  hello: publicProcedure.input(z.object({ name: z.string().max(20) })).query(({ input }) => `hello ${input.name}`),
  whoami: protectedProcedure.query(({ ctx }) => ctx.user.username),
  users: permissionProcedure('auth.view_user').query(() => 'the user list'),
  broken: publicProcedure.query(() => {
    throw new Error('connect ECONNREFUSED mysql://root:hunter2@db');
  }),
  ticks: publicProcedure.input(z.object({ count: z.number().int().min(1).max(5) })).subscription(async function* ({ input, signal }) {
    for (let i = 1; i <= input.count && !signal?.aborted; i++) {
      await new Promise((r) => setTimeout(r, 10));
      yield i;
    }
  }),
});

beforeAll(async () => {
  db = await createTestDb('koa/koa-trpc');
  store = createTestStore('koa-trpc');
  t = await startTestApp(db, { store, extend: (app) => app.use(koaTrpc({ router: appRouter, prefix: '/api' })) });
});
afterAll(async () => {
  await t.close();
  await store.close();
  await db.destroy();
});

async function loggedIn(username: string): Promise<{ client: ReturnType<TestApp['client']>; user: User }> {
  const user = await t.auth.users.createUser({ username, password: PASSWORD });
  const client = t.client();
  expect((await client.mutation('auth.login', { identifier: username, password: PASSWORD })).status).toBe(200);
  return { client, user };
}

it('answers batched calls in one HTTP request', async () => {
  const input = encodeURIComponent(JSON.stringify({ 0: { name: 'a' }, 1: { name: 'b' } }));
  const response = await fetch(`${t.url}/api/hello,hello?batch=1&input=${input}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { result: { data: string } }[];
  expect(body.map((r) => r.result.data)).toEqual(['hello a', 'hello b']);
});

it('streams subscriptions as server-sent events', async () => {
  const response = await fetch(`${t.url}/api/ticks?input=${encodeURIComponent(JSON.stringify({ count: 3 }))}`, { headers: { accept: 'text/event-stream' } });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const seen: number[] = [];
  while (seen.length < 3) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    seen.splice(0, seen.length, ...[...text.matchAll(/^data: (\d+)$/gm)].map((m) => Number(m[1])));
  }
  await reader.cancel();
  expect(seen).toEqual([1, 2, 3]);
});

it('guards protected and permission procedures: 401, then 403, then allowed', async () => {
  expect((await t.client().fetch('/api/whoami')).status).toBe(401);
  const { client, user } = await loggedIn('carol');
  const whoami = await client.fetch('/api/whoami');
  expect(((await whoami.json()) as { result: { data: string } }).result.data).toBe('carol');
  expect((await client.fetch('/api/users')).status).toBe(403);
  await ensurePermission(db.knex, 'auth.view_user');
  await grantUserPermission(db.knex, user, 'auth.view_user');
  expect((await client.fetch('/api/users')).status).toBe(200);
});

it('reports input errors per field and hides internal errors', async () => {
  const bad = await fetch(`${t.url}/api/hello?input=${encodeURIComponent(JSON.stringify({ name: 'x'.repeat(50) }))}`);
  expect(bad.status).toBe(400);
  const body = (await bad.json()) as { error: { data: { fieldErrors: Record<string, unknown> } } };
  expect(Object.keys(body.error.data.fieldErrors)).toEqual(['name']);
  const reported: Error[] = [];
  t.app.silent = true;
  t.app.on('error', (error: Error) => reported.push(error));
  const broken = await fetch(`${t.url}/api/broken`);
  expect(reported.map((e) => e.message)).toEqual(['connect ECONNREFUSED mysql://root:hunter2@db']); // reported to the app, server side
  expect(broken.status).toBe(500);
  const text = await broken.text();
  expect(text).toContain('Internal server error.');
  expect(text).not.toContain('hunter2');
  expect(text).not.toContain('ECONNREFUSED');
});
