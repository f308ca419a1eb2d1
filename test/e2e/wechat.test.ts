/**
 * WeChat in a real browser, against the emulator the demo starts: QR login (the consent step
 * in a second window, the first one ends logged in), a first login creating an account with
 * the WeChat nickname, binding WeChat to an existing account from the profile page and logging
 * in through it, unlinking, and the refusal to unlink a WeChat-only account's last login.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, pageProblems, screenshot } from './support/browser.js';
import { createDemoEnv, type DemoEnv, type RunningDemo } from './support/demo-env.js';
import { logout, open, ready, register, text } from './support/demo-pages.js';
import { confirmInPopup } from './support/wechat-phone.js';

let env: DemoEnv;
let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => {
  env = await createDemoEnv('wechat');
  demo = await env.start();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await env?.destroy();
});

test('QR login: confirming on the "phone" logs the first window in, with a new account', async () => {
  const { context, page } = await newPage(browser);
  await open(page, demo.url, '/login');
  await page.click('#tab-wechat');
  const popup = await confirmInPopup(context, page, '#wechat-start', 'xiaoming', 'login-wechat');
  expect(await popup.textContent('h1')).toBe('Logged in with WeChat');
  await screenshot(popup, 'wechat-callback');

  await page.waitForURL(`${demo.url}/profile`);
  await ready(page);
  expect(await text(page, '#profile-name')).toBe('小明🐱');
  await page.waitForSelector('#wechat-accounts [data-wechat-profile]');
  expect(await text(page, '#wechat-accounts .title')).toBe('小明🐱');
  // Created by WeChat: no password to change.
  expect(await page.isVisible('#password-none')).toBe(true);
  await screenshot(page, 'profile-wechat-user');

  // Its only way in cannot be unlinked.
  await page.click('#wechat-accounts [data-unbind]');
  await page.waitForSelector('#wechat-error:not([hidden])');
  expect(await text(page, '#wechat-error')).toContain('only way to sign in');
  await context.close();
});

test('confirming inside the framed QR page logs in too; Cancel stops a login', async () => {
  const { context, page } = await newPage(browser);
  await open(page, demo.url, '/login#wechat');
  await page.click('#wechat-start');
  await page.waitForSelector('#wechat-qr:not([hidden])');
  await page.click('#wechat-cancel');
  await page.waitForSelector('#wechat-qr', { state: 'hidden' });
  expect(await page.isEnabled('#wechat-start')).toBe(true);
  expect(await page.isHidden('#wechat-error')).toBe(true);

  await page.click('#wechat-start');
  // The jssdk variant redirects inside the frame: the callback page shows there.
  await page.frameLocator('#wechat-qr-frame').locator('button[data-action="confirm"][data-user="lilei"]').click();
  await page.waitForURL(`${demo.url}/profile`);
  await ready(page);
  expect(await text(page, '#profile-name')).toBe('李雷👨‍💻');
  await context.close();
});

test('binding WeChat to an existing account, logging in with it, unlinking it', async () => {
  const { context, page } = await newPage(browser);
  await register(page, demo.url, { username: 'bob', password: 'Correct-Horse-42' });
  await page.waitForSelector('#wechat-accounts li.empty');

  const popup = await confirmInPopup(context, page, '#wechat-bind', 'hanmeimei', 'profile-wechat-bind');
  expect(await popup.textContent('h1')).toBe('WeChat account linked');
  await popup.close();
  await page.waitForSelector('#wechat-notice:not([hidden])');
  await page.waitForSelector('#wechat-accounts [data-wechat-profile]');
  expect(await text(page, '#wechat-accounts .title')).toBe('韩梅梅🌸✨');
  // Still bob, with his own name: binding changes nothing else.
  expect(await text(page, '#profile-username')).toBe('bob');
  await screenshot(page, 'profile-wechat-linked');

  // Log out, then in again through WeChat: it is bob's account.
  await logout(page, demo.url);
  await page.click('#tab-wechat');
  const again = await confirmInPopup(context, page, '#wechat-start', 'hanmeimei');
  await again.close();
  await page.waitForURL(`${demo.url}/profile`);
  await ready(page);
  expect(await text(page, '#profile-username')).toBe('bob');

  // bob has a password, so the link can go.
  await page.waitForSelector('#wechat-accounts [data-unbind]');
  await page.click('#wechat-accounts [data-unbind]');
  await page.waitForSelector('#wechat-accounts li.empty');
  expect(await text(page, '#wechat-notice')).toBe('WeChat account unlinked.');
  await context.close();
});

test('no page had a script error or a Content-Security-Policy violation', () => {
  expect(pageProblems()).toEqual([]);
});
