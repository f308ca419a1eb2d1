/**
 * The admin page and its permission, end to end: anonymous visitors are sent to log in, a user
 * without `auth.view_user` gets the 403 page (and the `admin.users` procedure a 403), then the
 * CLI's `grant` gives the permission and the same user sees the user list. A superuser made
 * with `createsuperuser --noinput` sees it too.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPage, pageProblems, screenshot } from './support/browser.js';
import { createDemoEnv, type DemoEnv, type RunningDemo } from './support/demo-env.js';
import { login, logout, ready, register, text, waitForCount } from './support/demo-pages.js';

let env: DemoEnv;
let demo: RunningDemo;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  env = await createDemoEnv('admin');
  demo = await env.start();
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser));
});

afterAll(async () => {
  await browser?.close();
  await env?.destroy();
});

test('anonymous visitors are sent to the login page', async () => {
  await page.goto(`${demo.url}/admin/users`);
  await ready(page);
  expect(page.url()).toBe(`${demo.url}/login?next=%2Fadmin%2Fusers`);
});

test('without auth.view_user: 403 page, then allowed once `grant` gave it', async () => {
  await register(page, demo.url, { username: 'carol', email: 'carol@example.com', nickname: 'Carol 🦊', password: 'Correct-Horse-42' });
  expect(await page.isVisible('#nav-admin')).toBe(false);

  const forbidden = await page.goto(`${demo.url}/admin/users`);
  expect(forbidden?.status()).toBe(403);
  expect(await text(page, '#error-page h1')).toBe('Forbidden');
  await screenshot(page, 'admin-forbidden');
  // The data is guarded on its own, not only by the page.
  const api = await context.request.get(`${demo.url}/trpc/admin.users`);
  expect(api.status()).toBe(403);

  const granted = await env.cli(['grant', 'carol', 'auth.view_user']);
  expect(granted).toMatchObject({ code: 0 });
  expect(granted.stdout).toContain("Granted auth.view_user to 'carol'.");

  const allowed = await page.goto(`${demo.url}/admin/users`);
  expect(allowed?.status()).toBe(200);
  await ready(page);
  await page.waitForSelector('#admin-users tbody tr[data-username="carol"]');
  expect(await text(page, '#admin-count')).toBe('1 user');
  expect(await page.isVisible('#nav-admin')).toBe(true);
  await screenshot(page, 'admin-users');

  const revoked = await env.cli(['revoke', 'carol@example.com', 'auth.view_user']);
  expect(revoked.code).toBe(0);
  expect((await page.goto(`${demo.url}/admin/users`))?.status()).toBe(403);
  await logout(page, demo.url);
});

test('a superuser from `createsuperuser --noinput` sees every user, searchable', async () => {
  const refused = await env.cli(['createsuperuser', '--noinput'], {
    env: { KOA_AUTH_SUPERUSER_USERNAME: 'carol', KOA_AUTH_SUPERUSER_EMAIL: 'not-an-email', KOA_AUTH_SUPERUSER_PASSWORD: 'Correct-Horse-42' },
  });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('Error: email: Enter a valid email address.');

  const created = await env.cli(['createsuperuser', '--noinput'], {
    env: {
      KOA_AUTH_SUPERUSER_USERNAME: 'root',
      KOA_AUTH_SUPERUSER_EMAIL: 'root@example.com',
      KOA_AUTH_SUPERUSER_PHONE: '139 0013 9000',
      KOA_AUTH_SUPERUSER_PASSWORD: 'Admin-Horse-42',
    },
  });
  expect(created).toMatchObject({ code: 0 });
  expect(created.stdout).toContain('Superuser created successfully.');

  await login(page, demo.url, '+86 139 0013 9000', 'Admin-Horse-42');
  await page.click('#nav-admin');
  await page.waitForURL(`${demo.url}/admin/users`);
  await ready(page);
  await page.waitForSelector('#admin-users tbody tr[data-username="root"]');
  expect(await page.locator('#admin-users tbody tr').count()).toBe(2);

  await page.fill('#admin-search', 'CAROL@');
  await page.click('#admin-search-submit');
  await waitForCount(page, '#admin-users tbody tr', 1);
  expect(await page.getAttribute('#admin-users tbody tr', 'data-username')).toBe('carol');
  expect(await text(page, '#admin-count')).toBe('1 user matching “CAROL@”');
});

test('no page had a script error or a Content-Security-Policy violation', () => {
  expect(pageProblems()).toEqual([]);
});
