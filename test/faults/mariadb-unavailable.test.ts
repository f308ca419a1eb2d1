/**
 * MariaDB down. The app's database is a mariadbd this test starts (own data folder, port and
 * socket under a temp dir), then kills mid-traffic as a crash would, freezes, and starts again.
 * While it is away, requests that need it must answer 503 saying so (never a 500, never a hang)
 * and the process must keep serving; once it is back, service resumes by itself; and no user
 * row is lost (every registration that was answered 200 is there) or half-written (every row
 * present is a complete, working account).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { coreMigrations, createKnex, migrationSource, type KeyValueStore, type User } from '@koa-auth/core';
import { wechatMigrations } from '@koa-auth/wechat';
import type { TestClient, TrpcResult } from '@koa-auth/koa/testing';
import { TestStores } from '@koa-auth/core/testing';
import { PASSWORD, startFullApp, type FullApp, type Knex } from '../helpers/full-app.js';
import { PrivateMariadb } from '../helpers/private-mariadb.js';
import { waitFor } from '../helpers/processes.js';

/** createKnex's connect and pool-acquire timeouts are 5 s; an answer within this is not a hang. */
const PROMPT_MS = 8000;

let mariadb: PrivateMariadb;
let knex: Knex;
let stores: TestStores;
let store: KeyValueStore;
let app: FullApp;

beforeAll(async () => {
  mariadb = await PrivateMariadb.start();
  const admin = createKnex(mariadb.url());
  await admin.raw('CREATE DATABASE app CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  await admin.destroy();
  // knex's own console warnings ("Acquire connection error") would drown the report.
  knex = createKnex(mariadb.url('app'), { log: { warn() {}, error() {}, debug() {}, deprecate() {} } });
  await knex.migrate.latest({ migrationSource: migrationSource(coreMigrations, wechatMigrations) });
  stores = new TestStores('faults-mariadb');
  store = stores.open();
  // Registration limits out of the way: dozens of registrations come from 127.0.0.1 here.
  app = await startFullApp({ knex, store, limits: { register: { perAddress: { points: 1000 } } } });
  await app.auth.users.createUser({ username: 'alice', password: PASSWORD });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await knex?.destroy();
  await stores?.close();
  await mariadb?.destroy();
});

async function loggedIn(username: string): Promise<TestClient> {
  const client = app.client();
  const result = await client.mutation('auth.login', { identifier: username, password: PASSWORD });
  expect(result.status).toBe(200);
  return client;
}

interface Timed {
  what: string;
  status: number;
  message: string | undefined;
  ms: number;
}

/** Runs `call`; gives up waiting after `limitMs` (reported as status 0, "hung"). */
async function timed(what: string, call: () => Promise<TrpcResult>, limitMs: number): Promise<Timed> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Timed>((resolve) => {
    timer = setTimeout(() => resolve({ what, status: 0, message: 'no answer (hung)', ms: Infinity }), limitMs);
  });
  const answered = call().then((result): Timed => ({ what, status: result.status, message: result.error?.message, ms: Date.now() - started }));
  try {
    return await Promise.race([answered, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** Requests that need the database, each from its own client. */
function databaseRequests(session: TestClient, n: number): Array<Promise<Timed>> {
  const limit = PROMPT_MS + 2000;
  return [
    timed('auth.me with a session (loads the user)', () => session.query('auth.me'), limit),
    timed('auth.login (looks the user up)', () => app.client().mutation('auth.login', { identifier: 'alice', password: PASSWORD }), limit),
    timed('auth.register (inserts a user)', () => app.client().mutation('auth.register', { username: `down${n}`, password: PASSWORD }), limit),
    timed('auth.token (looks the user up)', () => app.client().mutation('auth.token', { identifier: 'alice', password: PASSWORD }), limit),
  ];
}

function expectPrompt503(result: Timed): void {
  expect({ what: result.what, status: result.status }).toEqual({ what: result.what, status: 503 });
  expect({ what: result.what, message: result.message }).toEqual({ what: result.what, message: expect.stringMatching(/unavailable/i) });
  expect({ what: result.what, prompt: result.ms < PROMPT_MS }).toEqual({ what: result.what, prompt: true });
}

describe('MariaDB fault tolerance (private mariadbd)', () => {
  // One story in steps, so that each property is reported on its own.
  let alice: TestClient;
  const names = Array.from({ length: 40 }, (_, i) => `crash${i}`);
  const outcomes = new Map<string, number>();

  it('killed mid-traffic (SIGKILL): every registration is answered 200 or 503, never 500', async () => {
    alice = await loggedIn('alice');
    let killed: Promise<void> | undefined;
    // Registrations four at a time; the server dies after the tenth success.
    const queue = [...names];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const result = await app.client().mutation('auth.register', { username: name, password: PASSWORD });
        outcomes.set(name, result.status);
        if (!killed && [...outcomes.values()].filter((s) => s === 200).length >= 10) killed = mariadb.kill();
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    await killed;
    expect(killed).toBeDefined();
    const byStatus: Record<number, number> = {};
    for (const status of outcomes.values()) byStatus[status] = (byStatus[status] ?? 0) + 1;
    expect(byStatus[200]).toBeGreaterThanOrEqual(10);
    const others = Object.keys(byStatus).filter((status) => status !== '200' && status !== '503');
    expect({ byStatus, others }).toEqual({ byStatus, others: [] });
  });

  it('while it is down: requests that need it answer 503 promptly, with a clear message', async () => {
    expect(mariadb.running).toBe(false);
    for (let round = 0; round < 2; round++) {
      for (const result of await Promise.all(databaseRequests(alice, round))) expectPrompt503(result);
    }
    // Requests that need no database are still served (the process is alive and well).
    expect((await app.client().query('auth.me')).status).toBe(200);
  });

  it('restarted: service resumes by itself, the old session included', async () => {
    await mariadb.start();
    await waitFor('the session to work again', async () => (await alice.query('auth.me')).data?.username === 'alice', 20_000, 200);
    await loggedIn('alice');
  });

  it('no user row lost (every 200 registration is stored) or half-written (every stored row is a working account)', async () => {
    expect(outcomes.size).toBe(names.length);
    const rows: User[] = await app.auth.userModel.query(knex).whereIn('username', names);
    const stored = new Map(rows.map((row) => [row.username, row]));
    expect(rows.length).toBe(stored.size);
    for (const [name, status] of outcomes) {
      if (status === 200) expect({ name, stored: stored.has(name) }).toEqual({ name, stored: true });
    }
    // Rows whose answer was a 503 may exist (the commit raced the crash); they must be whole too.
    for (const row of rows) {
      expect(row.dateJoined).toBeInstanceOf(Date);
      expect(row.accountType).toBe('username');
      expect({ name: row.username, passwordWorks: await app.auth.checkPassword(row, PASSWORD) }).toEqual({ name: row.username, passwordWorks: true });
    }
    // Whoever was refused can simply try again: register (no row) or log in (row committed after all).
    for (const [name, status] of outcomes) {
      if (status === 200) continue;
      const retry = stored.has(name)
        ? await app.client().mutation('auth.login', { identifier: name, password: PASSWORD })
        : await app.client().mutation('auth.register', { username: name, password: PASSWORD });
      expect({ name, status: retry.status }).toEqual({ name, status: 200 });
    }
  });

  it('frozen (SIGSTOP: port open, nothing answered): requests end within the timeouts as 503, then service resumes', async () => {
    const session = await loggedIn('alice');
    // Warm the pool so the frozen server holds live, idle connections (the worst case).
    await Promise.all(Array.from({ length: 5 }, () => app.client().mutation('auth.login', { identifier: 'alice', password: PASSWORD })));
    mariadb.freeze();
    try {
      for (const result of await Promise.all(databaseRequests(session, 100))) expectPrompt503(result);
    } finally {
      mariadb.thaw();
    }
    await waitFor('the session to work again', async () => (await session.query('auth.me')).data?.username === 'alice', 20_000, 200);
  }, 60_000);
});
