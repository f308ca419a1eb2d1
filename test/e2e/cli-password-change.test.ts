/**
 * The attack from issue 9 item 5, as an outsider sees it: the demo runs as its own process
 * (in-memory store by default, Redis with REDIS_URL), a user holds a browser session and a JWT
 * pair, and an administrator changes the password with the CLI — another process, which with
 * the memory store cannot reach the server's sessions or token registry. The old session, access
 * token and refresh token must all stop working at once.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createDemoEnv, type DemoEnv, type RunningDemo } from './support/demo-env.js';

const PASSWORD = 'Old-Horse-Battery-42';
let env: DemoEnv;
let demo: RunningDemo;

beforeAll(async () => {
  env = await createDemoEnv('cli-password-change');
  expect((await env.cli(['migrate'])).code).toBe(0);
  const created = await env.cli(['createsuperuser', '--noinput'], { env: { KOA_AUTH_SUPERUSER_USERNAME: 'victim', KOA_AUTH_SUPERUSER_PASSWORD: PASSWORD } });
  expect(created.code).toBe(0);
  demo = await env.start();
}, 120_000);

afterAll(async () => {
  await env?.destroy();
});

async function call(
  path: string,
  init: { body?: unknown; bearer?: string; cookie?: string } = {},
): Promise<{ status: number; body: any; setCookie: string[] }> {
  const headers: Record<string, string> = { origin: demo.url };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
  if (init.cookie) headers.cookie = init.cookie;
  const response = await fetch(`${demo.url}/trpc/${path}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: await response.json(), setCookie: response.headers.getSetCookie() };
}

test('after `changepassword` in another process, the old session, access token and refresh token are refused', async () => {
  const login = await call('auth.login', { body: { identifier: 'victim', password: PASSWORD } });
  expect(login.status).toBe(200);
  const cookie = login.setCookie.map((line) => line.split(';')[0]).join('; ');
  const pair = await call('auth.token', { body: { identifier: 'victim', password: PASSWORD } });
  expect(pair.status).toBe(200);
  const { accessToken, refreshToken } = pair.body.result.data as { accessToken: string; refreshToken: string };
  expect((await call('auth.me', { cookie })).body.result.data.username).toBe('victim');
  expect((await call('auth.me', { bearer: accessToken })).body.result.data.username).toBe('victim');

  const changed = await env.cli(['changepassword', 'victim'], { input: 'Brand-New-Horse-7\nBrand-New-Horse-7\n' });
  expect(changed.code).toBe(0);

  expect((await call('auth.me', { cookie })).body.result.data).toBeNull();
  expect((await call('auth.me', { bearer: accessToken })).status).toBe(401);
  expect((await call('auth.refresh', { body: { refreshToken } })).status).toBe(401);
  // The new password works.
  expect((await call('auth.login', { body: { identifier: 'victim', password: 'Brand-New-Horse-7' } })).status).toBe(200);
});
