/**
 * Registration and password logins in a real browser: register, log out, log in by username,
 * email and phone (national and international formats), one generic message for a wrong
 * password and an unknown account alike, field errors under fields, throttling, `?next=`, and
 * a password reset through the link the console mailer prints.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, pageProblems, screenshot } from './support/browser.js';
import { createDemoEnv, type DemoEnv, type RunningDemo } from './support/demo-env.js';
import { login, logout, open, ready, register, submitLogin, submitRegistration, text } from './support/demo-pages.js';

const ALICE = { username: 'alice', email: 'alice@example.com', phone: '138 0013 8000', nickname: 'Alice 🌷', password: 'Correct-Horse-42' };
const BOB = { username: 'bob', email: 'bob@example.com', password: 'Correct-Horse-43' };

let env: DemoEnv;
let demo: RunningDemo;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  env = await createDemoEnv('password-login');
  demo = await env.start();
  browser = await launchBrowser();
  ({ page } = await newPage(browser));
});

afterAll(async () => {
  await browser?.close();
  await env?.destroy();
});

describe('registration', () => {
  test('a new account is created and logged in', async () => {
    await open(page, demo.url, '/register');
    await screenshot(page, 'register');
    await register(page, demo.url, ALICE);
    expect(await text(page, '#profile-name')).toBe(ALICE.nickname);
    expect(await text(page, '#profile-username')).toBe('alice');
    // Stored in E.164, shown as people write it (national format for a Chinese number).
    expect(await page.inputValue('#profile-phone')).toBe('138 0013 8000');
    await screenshot(page, 'profile');
  });

  test('refused fields get their message under the field', async () => {
    await logout(page, demo.url);
    await submitRegistration(page, demo.url, { username: 'someone', password: '12345' });
    await page.waitForSelector('#register-password-error:not([hidden])');
    const passwordError = await text(page, '#register-password-error');
    expect(passwordError).toContain('This password is too short. It must contain at least 8 characters.');
    expect(passwordError).toContain('This password is entirely numeric.');

    await submitRegistration(page, demo.url, { username: 'alice', phone: '+86 138 0013 8000', password: 'Correct-Horse-42' });
    await page.waitForSelector('#register-username-error:not([hidden])');
    expect(await text(page, '#register-username-error')).toBe('A user with that username already exists.');
    expect(await text(page, '#register-phone-error')).toBe('A user with that phone number already exists.');
    expect(await page.isHidden('#register-password-error')).toBe(true);
    await screenshot(page, 'register-errors');

    await submitRegistration(page, demo.url, { username: 'bob', password: 'Correct-Horse-42', password2: 'something else' });
    await page.waitForSelector('#register-password2-error:not([hidden])');
    expect(await text(page, '#register-password2-error')).toBe("The two password fields didn't match.");
  });
});

describe('logging in', () => {
  test.each([
    ['username', 'alice'],
    ['email', 'alice@example.com'],
    ['phone, national format', '138 0013 8000'],
    ['phone, international format', '+86 138-0013-8000'],
  ])('by %s', async (_how, identifier) => {
    await login(page, demo.url, identifier, ALICE.password);
    expect(await text(page, '#profile-username')).toBe('alice');
    await logout(page, demo.url);
  });

  test('a wrong password and an unknown account get the same generic message', async () => {
    await submitLogin(page, demo.url, 'alice', 'not-the-password');
    await page.waitForSelector('#login-error:not([hidden])');
    const wrongPassword = await text(page, '#login-error');
    expect(wrongPassword).toBe('Please enter a correct identifier and password.');
    // The password field is emptied, the identifier kept.
    expect(await page.inputValue('#login-password')).toBe('');
    expect(await page.inputValue('#login-identifier')).toBe('alice');
    await screenshot(page, 'login-wrong-password');

    await submitLogin(page, demo.url, 'nobody-here', 'not-the-password');
    await page.waitForSelector('#login-error:not([hidden])');
    expect(await text(page, '#login-error')).toBe(wrongPassword);
    expect(page.url()).toBe(`${demo.url}/login`);
  });

  test('empty fields are reported under the fields', async () => {
    await open(page, demo.url, '/login');
    await screenshot(page, 'login');
    await page.click('#login-submit');
    await page.waitForSelector('#login-identifier-error:not([hidden])');
    expect(await text(page, '#login-identifier-error')).toBe('This field is required.');
    expect(await text(page, '#login-password-error')).toBe('This field is required.');
  });

  test('after five failures the account is locked and the page says how long to wait', async () => {
    // An account of its own: the lockout holds for every spelling of it, and alice logs in later.
    await register(page, demo.url, BOB);
    await logout(page, demo.url);
    for (let i = 0; i < 5; i++) {
      await submitLogin(page, demo.url, 'bob', `wrong-${i}`);
      await page.waitForSelector('#login-error:not([hidden])');
    }
    // Even the right password is refused during the lockout, by email too.
    await submitLogin(page, demo.url, BOB.email, BOB.password);
    await page.waitForSelector('#login-error:not([hidden])');
    expect(await text(page, '#login-error')).toMatch(/^Too many attempts\. Try again in \d+ s\.$/);
    await screenshot(page, 'login-throttled');
  });

  test('a protected page sends to the login page and back', async () => {
    await page.goto(`${demo.url}/profile`);
    await ready(page);
    expect(page.url()).toBe(`${demo.url}/login?next=%2Fprofile`);
    await page.fill('#login-identifier', 'alice');
    await page.fill('#login-password', ALICE.password);
    await page.click('#login-submit');
    await page.waitForURL(`${demo.url}/profile`);
    await logout(page, demo.url);
  });

  test('unknown pages get a 404 page', async () => {
    const response = await page.goto(`${demo.url}/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await text(page, '#error-page h1')).toBe('Page not found');
    await screenshot(page, 'not-found');
  });
});

describe('password reset', () => {
  test('the mailed link sets a new password', async () => {
    await open(page, demo.url, '/password-reset');
    await page.fill('#reset-request-email', 'alice@example.com');
    await page.click('#reset-request-submit');
    await page.waitForSelector('#reset-request-notice:not([hidden])');
    await screenshot(page, 'password-reset');

    // ConsoleMailSender prints the mail on the server's console.
    let link: string | undefined;
    for (let i = 0; i < 50 && !link; i++) {
      link = /https?:\/\/\S+\/reset-password\?uid=\S+&token=\S+/.exec(demo.output())?.[0];
      if (!link) await new Promise((r) => setTimeout(r, 100));
    }
    expect(link).toBeDefined();
    await page.goto(link!);
    await ready(page);
    await page.fill('#reset-confirm-newPassword', 'Another-Horse-77');
    await page.fill('#reset-confirm-newPassword2', 'Another-Horse-77');
    await page.click('#reset-confirm-submit');
    // Done: the form gives way to "password changed, log in".
    await page.waitForSelector('#reset-done-notice:not([hidden])');
    await screenshot(page, 'password-reset-confirm');

    await login(page, demo.url, 'alice', 'Another-Horse-77');
    expect(await text(page, '#profile-username')).toBe('alice');
  });
});

test('no page had a script error or a Content-Security-Policy violation', () => {
  expect(pageProblems()).toEqual([]);
});
