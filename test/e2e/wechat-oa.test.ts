/**
 * Official Account login in WeChat's in-app browser (mobile viewport, a `MicroMessenger` user
 * agent), against the Official Account of the emulator the demo starts: the WeChat tab offers
 * "Log in with WeChat" instead of a QR code; the button starts the authorization (a POST), the
 * consent page approves, the callback logs in and continues to the profile — without
 * `#wechat_redirect` in the address bar. A returning browser logs in silently (snsapi_base) to
 * the same account, and so does a person who first came through the website QR login.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPage, pageProblems, screenshot } from './support/browser.js';
import { createDemoEnv, type DemoEnv, type RunningDemo } from './support/demo-env.js';
import { logout, open, ready, text } from './support/demo-pages.js';
import { confirmInPopup } from './support/wechat-phone.js';

/** WeChat's in-app browser on Android (XWeb). */
const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240105.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.120 Mobile Safari/537.36 XWEB/1220089 MMWEBSDK/20240301 MMWEBID/1234 MicroMessenger/8.0.48.2580(0x28003036) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

let env: DemoEnv;
let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => {
  env = await createDemoEnv('wechat-oa');
  demo = await env.start();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await env?.destroy();
});

function inWechat(): Promise<{ context: BrowserContext; page: Page }> {
  return newPage(browser, { userAgent: WECHAT_UA, viewport: { width: 390, height: 844 }, isMobile: true });
}

/** On /login inside WeChat: the button, then WeChat's consent page; returns that page's URL. */
async function startOaLogin(page: Page): Promise<URL> {
  await open(page, demo.url, '/login');
  // Inside WeChat the WeChat tab is the one shown, with a button and no QR code.
  expect(await page.isVisible('#wechat-oa-start')).toBe(true);
  expect(await page.$('#wechat-start')).toBeNull();
  expect(await page.$('#wechat-qr')).toBeNull();
  await Promise.all([page.waitForURL(/\/connect\/oauth2\/authorize\?/), page.click('#wechat-oa-start')]);
  return new URL(page.url());
}

/** Approve on the consent page as `user`; ends on the profile page. */
async function approve(page: Page, user: string, shot?: string): Promise<void> {
  const button = page.locator(`button[data-action="confirm"][data-user="${user}"]`);
  await button.waitFor();
  if (shot) await screenshot(page, shot);
  await Promise.all([page.waitForURL(`${demo.url}/profile`), button.click()]);
  await ready(page);
}

async function setKnobs(emulatorOrigin: string, knobs: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${emulatorOrigin}/__emulator/knobs`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(knobs),
  });
  expect(response.status).toBe(200);
}

test('in WeChat: "Log in with WeChat" (snsapi_userinfo) creates the account; a returning visit is silent (snsapi_base) and lands on it', async () => {
  const { context, page } = await inWechat();
  await open(page, demo.url, '/login');
  await screenshot(page, 'wechat-oa-login');
  const consent = await startOaLogin(page);
  expect(consent.searchParams.get('scope')).toBe('snsapi_userinfo');
  expect(consent.hash).toBe('#wechat_redirect');
  // The consent page is no QR page.
  expect(await page.textContent('body')).not.toMatch(/scan|QR code|二维码|扫描/i);
  await approve(page, 'alice', 'wechat-oa-consent');
  expect(page.url()).toBe(`${demo.url}/profile`);
  expect(await text(page, '#profile-name')).toBe('Alice 🇬🇧');
  const username = await text(page, '#profile-username');
  await screenshot(page, 'wechat-oa-profile');

  // Returning: silent authorization. WeChat approves at once (snsapi_base shows nothing), so its
  // redirect carries `#wechat_redirect` to the callback — which must not leave it in the bar.
  await logout(page, demo.url);
  const emulatorOrigin = consent.origin;
  await setKnobs(emulatorOrigin, { autoApproveUser: 'alice' });
  try {
    await page.click('#wechat-oa-start');
    await page.waitForURL(`${demo.url}/profile`);
    await ready(page);
  } finally {
    await setKnobs(emulatorOrigin, { autoApproveUser: null });
  }
  expect(page.url()).toBe(`${demo.url}/profile`);
  expect(new URL(page.url()).hash).toBe('');
  expect(await text(page, '#profile-username')).toBe(username);
  await context.close();
});

test('a person who first logged in by website QR lands on the same account in WeChat, through both scopes', async () => {
  const desktop = await newPage(browser);
  await open(desktop.page, demo.url, '/login');
  await desktop.page.click('#tab-wechat');
  const popup = await confirmInPopup(desktop.context, desktop.page, '#wechat-start', 'lilei');
  await popup.close();
  await desktop.page.waitForURL(`${demo.url}/profile`);
  await ready(desktop.page);
  const username = await text(desktop.page, '#profile-username');
  await desktop.context.close();

  const { context, page } = await inWechat();
  const consent = await startOaLogin(page);
  expect(consent.searchParams.get('scope')).toBe('snsapi_userinfo');
  await approve(page, 'lilei');
  expect(await text(page, '#profile-username')).toBe(username);

  await logout(page, demo.url);
  const silent = await startOaLogin(page);
  expect(silent.searchParams.get('scope')).toBe('snsapi_base');
  await approve(page, 'lilei');
  expect(await text(page, '#profile-username')).toBe(username);
  await context.close();
});

test('a cross-site link to the start route starts nothing: it shows a button', async () => {
  const { context, page } = await inWechat();
  await page.goto(`${demo.url}/auth/wechat/oa/start?scope=snsapi_base&next=/profile`, { waitUntil: 'domcontentloaded' });
  expect(page.url().startsWith(demo.url)).toBe(true);
  expect(await page.textContent('h1')).toBe('Log in with WeChat');
  // The button posts (same site), and that starts it.
  await Promise.all([page.waitForURL(/\/connect\/oauth2\/authorize\?/), page.click('#start-again')]);
  expect(new URL(page.url()).searchParams.get('scope')).toBe('snsapi_userinfo');
  await context.close();
});

test('outside WeChat the login page keeps the QR code', async () => {
  const { context, page } = await newPage(browser);
  await open(page, demo.url, '/login#wechat');
  expect(await page.isVisible('#wechat-start')).toBe(true);
  expect(await page.$('#wechat-oa-start')).toBeNull();
  await context.close();
});

test('no page had a script error or a Content-Security-Policy violation', () => {
  expect(pageProblems()).toEqual([]);
});
