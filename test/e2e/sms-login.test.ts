/**
 * SMS codes in a real browser against the built demo (ConsoleSmsSender: the codes are read from
 * the server's output, as a developer reads them): the login tab signs up and logs in with a
 * code and counts down until the next send; the server's 429 shows as a wait; a wrong code gets
 * the one generic message; "Verify your phone" on the profile sets the number; and a password is
 * reset by phone through the same page a mailed link opens.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, pageProblems, screenshot } from './support/browser.js';
import { createDemoEnv, type DemoEnv, type RunningDemo } from './support/demo-env.js';
import { login, logout, open, ready, register, text } from './support/demo-pages.js';

let env: DemoEnv;
let demo: RunningDemo;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  env = await createDemoEnv('sms-login');
  demo = await env.start();
  browser = await launchBrowser();
  ({ page } = await newPage(browser));
});

afterAll(async () => {
  await browser?.close();
  await env?.destroy();
});

/**
 * The code of the `n`-th message (1-based) the demo printed for `e164` and `purpose` text,
 * waiting for it to appear in the server's output.
 */
async function smsCode(e164: string, kind: string, n: number): Promise<string> {
  const pattern = new RegExp(`SMS to ${e164.replace('+', '\\+')}: (\\d{6}) is your ${kind} code`, 'g');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const codes = [...demo.output().matchAll(pattern)].map((match) => match[1]!);
    if (codes.length >= n) return codes[n - 1]!;
    if (Date.now() > deadline) throw new Error(`No ${kind} code #${n} for ${e164} in the demo's output.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function openSmsTab(): Promise<void> {
  await open(page, demo.url, '/login');
  await page.click('#tab-sms');
  await page.waitForSelector('#panel-sms:not([hidden])');
}

describe('the SMS code tab of the login page', () => {
  test('the start-up banner names the emulator and where codes are printed', () => {
    expect(demo.output()).toMatch(/WeChat\s+.*emulator.*http:\/\/127\.0\.0\.1:\d+/i);
    expect(demo.output()).toContain('SMS       printed here');
  });

  test('signs up a new number with a code and counts down until the next send', async () => {
    await openSmsTab();
    await screenshot(page, 'sms-login-tab');
    await page.fill('#sms-phone', '139 0000 0001');
    await page.click('#sms-send');
    await page.waitForSelector('#sms-notice:not([hidden])');
    expect(await text(page, '#sms-notice')).toContain('A code is on its way if this number can receive one.');
    expect(await page.isDisabled('#sms-send')).toBe(true);
    expect(await text(page, '#sms-countdown')).toMatch(/^You can ask for a new code in (60|59|58) s\.$/);
    const code = await smsCode('+8613900000001', 'login', 1);
    await page.fill('#sms-code', code);
    await screenshot(page, 'sms-login-code-sent');
    await page.click('#sms-submit');
    await page.waitForURL(`${demo.url}/profile`);
    await ready(page);
    expect(await text(page, '#profile-username')).toBe('+8613900000001');
    expect(await page.inputValue('#profile-phone')).toBe('139 0000 0001');
    await logout(page, demo.url);
  });

  test('a second send within the minute shows the wait; a wrong code gets the generic message', async () => {
    await openSmsTab();
    await page.fill('#sms-phone', '+86 139-0000-0001');
    await page.click('#sms-send');
    await page.waitForSelector('#sms-error:not([hidden])');
    expect(await text(page, '#sms-error')).toMatch(/^Too many attempts\. Try again in \d+ s\.$/);
    expect(await page.isDisabled('#sms-send')).toBe(true);
    expect(await text(page, '#sms-countdown')).toMatch(/^You can ask for a new code in \d+ s\.$/);

    await page.fill('#sms-code', '000000');
    await page.click('#sms-submit');
    await page.waitForSelector('#sms-error:not([hidden])');
    expect(await text(page, '#sms-error')).toBe('The code is wrong or has expired. Ask for a new one.');
    expect(await page.inputValue('#sms-code')).toBe('');
    // Still counting down after the failed submit re-enabled the form.
    await page.waitForTimeout(400);
    expect(await page.isDisabled('#sms-send')).toBe(true);
    await screenshot(page, 'sms-login-wrong-code');
  });

  test('a bad number is reported under the field', async () => {
    await openSmsTab();
    await page.fill('#sms-phone', '12');
    await page.click('#sms-send');
    await page.waitForSelector('#sms-phone-error:not([hidden])');
    expect(await text(page, '#sms-phone-error')).toBe('Enter a valid phone number.');
  });
});

describe('verify your phone, and reset by phone', () => {
  test('a logged-in user proves a number and it becomes theirs', async () => {
    await register(page, demo.url, { username: 'smsuser', password: 'Correct-Horse-77' });
    expect(await page.inputValue('#profile-phone')).toBe('');
    await page.fill('#phone-verify-phone', '139 0000 0002');
    await page.click('#phone-verify-send');
    await page.waitForSelector('#phone-verify-notice:not([hidden])');
    await page.fill('#phone-verify-code', await smsCode('+8613900000002', 'phone verification', 1));
    await page.click('#phone-verify-submit');
    // The page reloads with the stored number (polled: the pages' CSP forbids eval-based waits).
    for (let i = 0; i < 75 && (await page.inputValue('#profile-phone').catch(() => '')) !== '139 0000 0002'; i++) await page.waitForTimeout(200);
    await ready(page);
    expect(await page.inputValue('#profile-phone')).toBe('139 0000 0002');
    await screenshot(page, 'sms-profile-verified');
    await logout(page, demo.url);
  });

  test('a password is reset with a code sent to the phone', async () => {
    // A number of its own: the one above had its one SMS of this minute (the limit is per number).
    const owner = { username: 'smsreset', phone: '139 0000 0003', password: 'Correct-Horse-78' };
    await register(page, demo.url, owner);
    await logout(page, demo.url);
    await open(page, demo.url, '/password-reset');
    await page.fill('#reset-sms-phone', owner.phone);
    await page.click('#reset-sms-send');
    await page.waitForSelector('#reset-sms-notice:not([hidden])');
    await page.fill('#reset-sms-code', await smsCode('+8613900000003', 'password reset', 1));
    await screenshot(page, 'sms-reset');
    await page.click('#reset-sms-submit');
    await page.waitForURL(/\/reset-password\?uid=/);
    await ready(page);
    const newPassword = 'Another-Horse-88';
    await page.fill('#reset-confirm-newPassword', newPassword);
    await page.fill('#reset-confirm-newPassword2', newPassword);
    await page.click('#reset-confirm-submit');
    await page.waitForSelector('#reset-done:not([hidden])');
    await login(page, demo.url, owner.phone, newPassword);
    expect(await text(page, '#profile-username')).toBe(owner.username);
  });

  test('no script errors or CSP violations', () => {
    expect(pageProblems()).toEqual([]);
  });
});
