/**
 * The demo as a running server (in this process, on free ports, SQLite in a temporary DATA_DIR),
 * configured only through environment variables, attacked over HTTP: a foreign Host header,
 * HTTPS termination with and without TRUST_PROXY, the source map in production.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { migrationSource } from '@koa-auth/core';
import { demoMigrations, openDatabase } from '../src/setup/database.js';
import { serve, type RunningDemo } from '../src/server.js';

const PASSWORD = 'correct horse battery staple';
const running: RunningDemo[] = [];

// A stand-in bundle: what matters is which files the server hands out.
const bundleDir = mkdtempSync(join(tmpdir(), 'demo-bundle-'));
writeFileSync(join(bundleDir, 'app.js'), 'console.log("app");\n//# sourceMappingURL=app.js.map\n');
writeFileSync(join(bundleDir, 'app.js.map'), '{"version":3,"sources":["browser/main.ts"],"mappings":""}');

async function startDemo(env: Record<string, string> = {}): Promise<RunningDemo> {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-http-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, SECRET_KEY: 'demo-http-security-test-secret-key-0123456789', ...env });
  const knex = openDatabase(config.databaseUrl);
  await knex.migrate.latest({ migrationSource: migrationSource(demoMigrations) });
  await knex.destroy();
  const demo = await serve(config, () => undefined, { publicDir: bundleDir });
  running.push(demo);
  return demo;
}

afterAll(async () => {
  await Promise.all(running.map((demo) => demo.close()));
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP/1.1 request with exactly these headers (fetch cannot set Host). */
function send(demo: RunningDemo, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const { port } = demo;
  const host = `localhost:${port}`;
  const headers = { host, ...options.headers, ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}) };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: options.path, method: options.method ?? 'GET', headers, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function login(demo: RunningDemo, headers: Record<string, string>): Promise<Answer> {
  return send(demo, {
    method: 'POST',
    path: '/trpc/auth.login',
    headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', ...headers },
    body: JSON.stringify({ identifier: 'alice', password: PASSWORD }),
  });
}

function setCookies(answer: Answer): string[] {
  const value = answer.headers['set-cookie'];
  return Array.isArray(value) ? value : value ? [value] : [];
}

describe('allowed hosts', () => {
  test('refuses Host: evil.example with 400 before any handler; answers localhost and 127.0.0.1 on any port', async () => {
    const demo = await startDemo();
    for (const path of ['/login', '/trpc/auth.me', '/static/style.css']) {
      const refused = await send(demo, { path, headers: { host: 'evil.example' } });
      expect({ path, status: refused.status }).toEqual({ path, status: 400 });
      expect(JSON.parse(refused.body)).toEqual({ error: { code: 'disallowed_host', message: 'Invalid Host header.' } });
      expect(refused.headers['set-cookie']).toBeUndefined();
    }
    const evilReset = await send(demo, {
      method: 'POST',
      path: '/trpc/auth.passwordReset.request',
      headers: { host: 'evil.example', 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ email: 'alice@example.com' }),
    });
    expect(evilReset.status).toBe(400);
    for (const host of ['localhost', 'localhost:3000', '127.0.0.1:8080', '[::1]:1']) {
      expect({ host, status: (await send(demo, { path: '/trpc/auth.me', headers: { host } })).status }).toEqual({ host, status: 200 });
    }
  });

  test("ALLOWED_HOSTS replaces the loopback defaults; PUBLIC_URL's host is always allowed", async () => {
    const demo = await startDemo({ ALLOWED_HOSTS: '.example.org, api.example.net', PUBLIC_URL: 'https://demo.example.com' });
    for (const host of ['example.org', 'www.example.org:443', 'api.example.net', 'demo.example.com']) {
      expect({ host, status: (await send(demo, { path: '/trpc/auth.me', headers: { host } })).status }).toEqual({ host, status: 200 });
    }
    for (const host of ['localhost', 'evil.example', 'example.net']) {
      expect({ host, status: (await send(demo, { path: '/trpc/auth.me', headers: { host } })).status }).toEqual({ host, status: 400 });
    }
  });

  test('a malformed ALLOWED_HOSTS stops the demo at startup, naming the variable', () => {
    expect(() => loadConfig({ ALLOWED_HOSTS: 'https://example.com' })).toThrow('ALLOWED_HOSTS');
    expect(() => loadConfig({ ALLOWED_HOSTS: ' , ' })).toThrow('ALLOWED_HOSTS');
  });
});

describe('TRUST_PROXY', () => {
  test('behind HTTPS termination, cookies are Secure only when TRUST_PROXY is set', async () => {
    const forwarded = { 'x-forwarded-proto': 'https' };
    const trusting = await startDemo({ TRUST_PROXY: 'true' });
    await trusting.runtime.auth.users.createUser({ username: 'alice', password: PASSWORD });
    const secure = await login(trusting, forwarded);
    expect(secure.status).toBe(200);
    const secureCookies = setCookies(secure).filter((c) => c.startsWith('sessionid='));
    expect(secureCookies.length).toBeGreaterThan(0);
    for (const cookie of secureCookies) expect(cookie).toMatch(/;\s*secure/i);

    const direct = await startDemo();
    await direct.runtime.auth.users.createUser({ username: 'alice', password: PASSWORD });
    const plain = await login(direct, forwarded);
    expect(plain.status).toBe(200);
    const plainCookies = setCookies(plain).filter((c) => c.startsWith('sessionid='));
    expect(plainCookies.length).toBeGreaterThan(0);
    for (const cookie of plainCookies) expect(cookie).not.toMatch(/;\s*secure/i);
  });

  test('TRUST_PROXY must be a boolean', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(true);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: 'maybe' })).toThrow('TRUST_PROXY');
  });
});

describe('source map', () => {
  test('is served in development and not with NODE_ENV=production', async () => {
    const development = await startDemo({ NODE_ENV: 'development' });
    expect((await send(development, { path: '/static/app.js.map' })).status).toBe(200);
    const production = await startDemo({ NODE_ENV: 'production' });
    expect((await send(production, { path: '/static/app.js.map' })).status).toBe(404);
    expect((await send(production, { path: '/static/app.js' })).status).toBe(200);
  });
});
