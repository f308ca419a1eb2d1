/**
 * Profile and sessions across devices (one browser context each): editing the profile, the
 * session list, revoking another device's session, and a password change that logs every
 * other device out while keeping this one.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, pageProblems, screenshot } from './support/browser.js';
import { createDemoEnv, type DemoEnv, type RunningDemo } from './support/demo-env.js';
import { login, open, ready, register, text, waitForCount } from './support/demo-pages.js';

const PASSWORD = 'Correct-Horse-42';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

let env: DemoEnv;
let demo: RunningDemo;
let browser: Browser;
let laptop: Page;

beforeAll(async () => {
  env = await createDemoEnv('sessions');
  demo = await env.start();
  browser = await launchBrowser();
  ({ page: laptop } = await newPage(browser));
  await register(laptop, demo.url, { username: 'dave', email: 'dave@example.com', password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await env?.destroy();
});

test('editing the profile: nickname, avatar URL, phone; refused values under their fields', async () => {
  await laptop.fill('#profile-nickname', '戴夫 🚀');
  await laptop.fill('#profile-avatar', 'not a url');
  await laptop.click('#profile-submit');
  await laptop.waitForSelector('#profile-avatar-error:not([hidden])');
  expect(await text(laptop, '#profile-avatar-error')).toBe('Enter a valid http(s) URL.');

  await laptop.fill('#profile-avatar', 'https://example.com/dave.png');
  await laptop.fill('#profile-phone', '138 0000');
  await laptop.click('#profile-submit');
  await laptop.waitForSelector('#profile-phone-error:not([hidden])');
  expect(await text(laptop, '#profile-phone-error')).toBe('Enter a valid phone number.');
  expect(await laptop.isHidden('#profile-avatar-error')).toBe(true);
  await screenshot(laptop, 'profile-errors');

  await laptop.fill('#profile-phone', '139 1234 5678');
  await laptop.click('#profile-submit');
  await laptop.waitForSelector('#profile-notice:not([hidden])');
  expect(await text(laptop, '#profile-name')).toBe('戴夫 🚀');
  expect(await laptop.inputValue('#profile-phone')).toBe('139 1234 5678');

  // Stored: a reload shows the same, and the new phone number logs in.
  await open(laptop, demo.url, '/profile');
  expect(await laptop.inputValue('#profile-nickname')).toBe('戴夫 🚀');
  expect(await laptop.inputValue('#profile-avatar')).toBe('https://example.com/dave.png');
  const { context: other, page } = await newPage(browser);
  await login(page, demo.url, '139 1234 5678', PASSWORD);
  await other.close();
});

test('another device appears in the list and can be revoked from here', async () => {
  const { context, page: phone } = await newPage(browser, { userAgent: FIREFOX });
  await login(phone, demo.url, 'dave', PASSWORD);

  await open(laptop, demo.url, '/profile');
  await laptop.waitForSelector('#sessions li[data-session]:not([data-current])');
  expect(await text(laptop, '#sessions li[data-current] .title')).toContain('this browser');
  expect(await text(laptop, '#sessions li:not([data-current]) .title')).toBe('Firefox on Windows');
  await screenshot(laptop, 'profile-sessions');

  const others = laptop.locator('#sessions li:not([data-current])');
  const before = await others.count();
  await laptop.click('#sessions li:not([data-current]) >> text=Firefox on Windows >> xpath=ancestor::li//button[@data-revoke]');
  await waitForCount(laptop, '#sessions li:not([data-current])', before - 1);

  await phone.goto(`${demo.url}/profile`);
  await ready(phone);
  expect(phone.url()).toBe(`${demo.url}/login?next=%2Fprofile`);
  await context.close();
});

test('a password change logs out the other browser and keeps this one', async () => {
  const { context, page: desktop } = await newPage(browser);
  await login(desktop, demo.url, 'dave@example.com', PASSWORD);

  await open(laptop, demo.url, '/profile');
  await laptop.fill('#password-oldPassword', 'wrong');
  await laptop.fill('#password-newPassword', 'New-Horse-Battery-9');
  await laptop.fill('#password-newPassword2', 'New-Horse-Battery-9');
  await laptop.click('#password-submit');
  await laptop.waitForSelector('#password-oldPassword-error:not([hidden])');
  expect(await text(laptop, '#password-oldPassword-error')).toBe('Your old password was entered incorrectly.');

  await laptop.fill('#password-oldPassword', PASSWORD);
  await laptop.fill('#password-newPassword', 'New-Horse-Battery-9');
  await laptop.fill('#password-newPassword2', 'New-Horse-Battery-9');
  await laptop.click('#password-submit');
  await laptop.waitForSelector('#password-notice:not([hidden])');
  await screenshot(laptop, 'profile-password-changed');

  // The other browser is logged out…
  await desktop.goto(`${demo.url}/profile`);
  await ready(desktop);
  expect(desktop.url()).toBe(`${demo.url}/login?next=%2Fprofile`);
  // …this one is not, and the new password works.
  await open(laptop, demo.url, '/profile');
  expect(laptop.url()).toBe(`${demo.url}/profile`);
  await login(desktop, demo.url, 'dave', 'New-Horse-Battery-9');
  await context.close();
});

test('no page had a script error or a Content-Security-Policy violation', () => {
  expect(pageProblems()).toEqual([]);
});
