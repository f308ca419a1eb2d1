import { request } from 'node:http';
import { ensurePermission, grantUserPermission, type User } from '@koa-auth/core';
import { z } from 'zod';
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp } from '@koa-auth/koa/testing';
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

/** A raw request with any method (fetch refuses TRACE and CONNECT). */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('methods', () => {
  it('answers TRACE and other unknown methods with 405 and Allow, without reporting an error', async () => {
    const errors: unknown[] = [];
    const listener = (error: unknown) => errors.push(error);
    t.app.on('error', listener);
    try {
      for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH', 'PROPFIND', 'PURGE']) {
        for (const path of ['/trpc/auth.me', '/trpc/auth.login', '/api/hello', '/trpc']) {
          const answer = await rawRequest(method, path, { cookie: 'sessionid=x', 'x-test': 'secret-header', 'sec-fetch-site': 'same-origin' });
          expect({ method, path, status: answer.status }).toEqual({ method, path, status: 405 });
          expect(answer.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
          expect(answer.headers['cache-control']).toBe('no-store');
          // A TRACE must not echo the request (cookies, headers) back.
          expect(answer.body).not.toContain('secret-header');
          expect(JSON.parse(answer.body)).toEqual({ error: { code: 'METHOD_NOT_SUPPORTED', message: 'This method is not allowed on tRPC endpoints.' } });
        }
      }
      const options = await rawRequest('OPTIONS', '/trpc/auth.me');
      expect(options.status).toBe(204);
      expect(options.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
      // tRPC's own method check still holds for the methods it knows: a query by POST is 405.
      const wrongKind = await rawRequest('POST', '/trpc/auth.me', { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' });
      expect(wrongKind.status).toBe(405);
    } finally {
      t.app.off('error', listener);
    }
    expect(errors).toEqual([]);
  });
});

describe('Cache-Control', () => {
  it('marks every tRPC answer no-store: private queries, errors, mutations, batches and logout', async () => {
    const { client } = await loggedIn('dora');
    const me = await client.query('auth.me');
    expect(me.data?.username).toBe('dora');
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect((await client.query('auth.sessions.list')).headers.get('cache-control')).toBe('no-store');
    expect((await client.fetch('/api/whoami')).headers.get('cache-control')).toBe('no-store');
    expect((await t.client().fetch('/api/whoami')).headers.get('cache-control')).toBe('no-store');
    expect((await client.fetch('/trpc/auth.me,auth.sessions.list?batch=1&input=%7B%7D')).headers.get('cache-control')).toBe('no-store');
    expect((await client.fetch('/trpc/nope')).headers.get('cache-control')).toBe('no-store');
    const logout = await client.mutation('auth.logout');
    expect(logout.status).toBe(200);
    expect(logout.headers.get('cache-control')).toBe('no-store');
  });
});
