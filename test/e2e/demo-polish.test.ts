/**
 * The demo as a person sees it (issue 16): one Chromium test per rough edge found in a
 * screenshot walk, each named after it — the WeChat status under the QR code, the emulator's
 * framed page, binding messages, internal field keys, the reset-password page, field errors in
 * phases, the signed-out notice, phone formatting, the admin table / login hint / start-up
 * banner, and CJK / emoji fonts.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { launchBrowser, newPage, pageProblems, screenshot } from './support/browser.js';
import { createDemoEnv, type DemoEnv, type RunningDemo } from './support/demo-env.js';
import { login, logout, open, ready, register, submitRegistration, text } from './support/demo-pages.js';

const PASSWORD = 'Correct-Horse-42';

/**
 * The DOM globals the in-page checks below use. The tests' tsconfig has no DOM library (it
 * would clash with Node's types), so functions run in the page reach them through
 * `globalThis as unknown as PageGlobals` (a cast only: nothing outside the function is used).
 */
interface PageGlobals {
  document: {
    createRange(): { selectNodeContents(node: unknown): void; getClientRects(): ArrayLike<{ top: number }> };
    documentElement: { scrollHeight: number; scrollWidth: number };
    createElement(tag: 'canvas'): { getContext(kind: '2d'): { font: string; measureText(text: string): { width: number } } | null };
  };
  innerHeight: number;
  innerWidth: number;
  getComputedStyle(element: unknown): {
    fontStyle: string;
    fontWeight: string;
    fontSize: string;
    fontFamily: string;
    paddingLeft: string;
    paddingRight: string;
  };
}

/** An input as the placeholder check sees it. */
interface InputView {
  id: string;
  placeholder: string;
  clientWidth: number;
}

let env: DemoEnv;
let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => {
  env = await createDemoEnv('demo-polish');
  demo = await env.start();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await env?.destroy();
});

/** The framed QR page once its phone buttons are there. */
async function qrFrame(page: Page): Promise<Frame> {
  await page.waitForSelector('#wechat-qr:not([hidden])');
  await page.frameLocator('#wechat-qr-frame').locator('button[data-action="confirm"]').first().waitFor();
  const frame = await (await page.$('#wechat-qr-frame'))!.contentFrame();
  if (!frame) throw new Error('no QR frame');
  return frame;
}

/** Starts a QR flow with `button` and waits for the framed QR page. */
async function startQr(page: Page, button: string): Promise<Frame> {
  await page.click(button);
  return qrFrame(page);
}

/** Waits until the status line under the QR code is in `state`. */
async function waitForQrStatus(page: Page, state: string, timeoutMs = 15_000): Promise<string> {
  await page.waitForSelector(`#wechat-status[data-status="${state}"]`, { timeout: timeoutMs });
  return text(page, '#wechat-status');
}

/** The emulator's origin, from the QR link the page shows. */
async function emulatorOrigin(page: Page): Promise<string> {
  return new URL((await page.getAttribute('#wechat-qr-link', 'href'))!).origin;
}

async function setRefusal(origin: string, refusal: 'no_redirect' | 'state_only'): Promise<void> {
  const response = await fetch(`${origin}/__emulator/knobs`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refusal }),
  });
  expect(response.status).toBe(200);
}

/** Confirms (or denies) as `user` inside the framed QR page. */
async function inFrame(page: Page, action: 'scan' | 'confirm' | 'deny', user: string): Promise<void> {
  await page.frameLocator('#wechat-qr-frame').locator(`button[data-action="${action}"][data-user="${user}"]`).click();
}

/** Lines a text wraps onto (distinct tops of its line boxes). */
async function lineCount(page: Page | Frame, selector: string): Promise<number[]> {
  return page.$$eval(selector, (elements) =>
    elements.map((element) => {
      const range = (globalThis as unknown as PageGlobals).document.createRange();
      range.selectNodeContents(element);
      return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
    }),
  );
}

/** The reset link mailed (printed) for `username`, waiting for it to appear. */
async function mailedResetLink(username: string): Promise<string> {
  const pattern = new RegExp(`reset the password of ${username}\\.\\nIf it was you, open: (\\S+)`);
  for (let i = 0; i < 100; i++) {
    const link = pattern.exec(demo.output())?.[1];
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no reset mail for ${username}`);
}

test('1. the outer WeChat status follows the login’s real state (pending countdown, cancelled and expired with a "New code" button)', async () => {
  const { context, page } = await newPage(browser);
  await open(page, demo.url, '/login#wechat');
  const frame = await startQr(page, '#wechat-start');

  // Open: the site waits for the confirmation and counts the code's validity down. It never
  // says "scan the code", which would contradict a frame that already says "scanned".
  const first = await waitForQrStatus(page, 'pending');
  expect(first).toMatch(/^Waiting for the confirmation on your phone · code valid for \d:\d\d$/);
  await inFrame(page, 'scan', 'xiaoming');
  await frame.waitForSelector('#status:has-text("Scanned")');
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  const later = await text(page, '#wechat-status');
  expect(later).not.toMatch(/scan/i);
  expect(later).not.toBe(first); // the countdown moves
  expect(await page.isVisible('#wechat-new-code')).toBe(true);
  await screenshot(page, 'polish-1-wechat-scanned');

  // A cancellation WeChat reports (its redirect with `state` only): the panel says so, the frame
  // goes, and "New code" starts over.
  const origin = await emulatorOrigin(page);
  await setRefusal(origin, 'state_only');
  try {
    const oldFrameUrl = await page.getAttribute('#wechat-qr-frame', 'src');
    await page.click('#wechat-new-code');
    await qrFrame(page);
    expect(await page.getAttribute('#wechat-qr-frame', 'src')).not.toBe(oldFrameUrl);
    await waitForQrStatus(page, 'pending');
    await inFrame(page, 'deny', 'lilei');
    expect(await waitForQrStatus(page, 'denied')).toBe('The WeChat login was cancelled.');
    expect(await page.isHidden('#wechat-qr-frame')).toBe(true);
    expect(await page.isVisible('#wechat-new-code')).toBe(true);
    expect(await page.isHidden('#wechat-error')).toBe(true);
    await screenshot(page, 'polish-1-wechat-cancelled');
  } finally {
    await setRefusal(origin, 'no_redirect');
  }
  await page.click('#wechat-new-code');
  await qrFrame(page);
  await waitForQrStatus(page, 'pending');
  await inFrame(page, 'confirm', 'lilei');
  await page.waitForURL(`${demo.url}/profile`);
  await ready(page);
  expect(await text(page, '#profile-name')).toBe('李雷👨‍💻');
  await context.close();

  // Expiry, on a demo whose QR codes live 6 s.
  const shortEnv = await createDemoEnv('demo-polish-expiry');
  try {
    shortEnv.env.WECHAT_QR_TTL_SECONDS = '6';
    const shortDemo = await shortEnv.start();
    const { context: other, page: waiting } = await newPage(browser);
    await open(waiting, shortDemo.url, '/login#wechat');
    await startQr(waiting, '#wechat-start');
    expect(await waitForQrStatus(waiting, 'pending')).toMatch(/code valid for 0:0\d$/);
    expect(await waitForQrStatus(waiting, 'expired', 30_000)).toBe('The QR code expired. Get a new code to try again.');
    expect(await waiting.isHidden('#wechat-qr-frame')).toBe(true);
    expect(await waiting.isHidden('#wechat-qr-link')).toBe(true);
    expect(await waiting.isEnabled('#wechat-start')).toBe(true);
    await screenshot(waiting, 'polish-1-wechat-expired');
    await waiting.click('#wechat-new-code');
    await qrFrame(waiting);
    expect(await waitForQrStatus(waiting, 'pending')).toMatch(/code valid for 0:0[4-6]$/);
    await other.close();
  } finally {
    await shortEnv.destroy();
  }
});

test('2. the emulator page fits its 300×420 frame: every Scan / Confirm / Deny button on screen, none wrapped', async () => {
  const { context, page } = await newPage(browser);
  await open(page, demo.url, '/login#wechat');
  const frame = await startQr(page, '#wechat-start');
  const box = (await page.locator('#wechat-qr-frame').boundingBox())!;
  expect(Math.round(box.width)).toBe(300);
  expect(Math.round(box.height)).toBe(420);

  const check = async () => {
    // Nothing to scroll to…
    const { scrollHeight, scrollWidth, innerHeight, innerWidth } = await frame.evaluate(() => {
      const page = globalThis as unknown as PageGlobals;
      return {
        scrollHeight: page.document.documentElement.scrollHeight,
        scrollWidth: page.document.documentElement.scrollWidth,
        innerHeight: page.innerHeight,
        innerWidth: page.innerWidth,
      };
    });
    expect(scrollHeight).toBeLessThanOrEqual(innerHeight);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    // …every button inside the frame's box, on one line.
    const buttons = frame.locator('ul.users button');
    const count = await buttons.count();
    expect(count).toBeGreaterThanOrEqual(10);
    for (let i = 0; i < count; i++) {
      const b = (await buttons.nth(i).boundingBox())!;
      expect(b.x).toBeGreaterThanOrEqual(box.x);
      expect(b.y).toBeGreaterThanOrEqual(box.y);
      expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width);
      expect(b.y + b.height).toBeLessThanOrEqual(box.y + box.height);
    }
    expect(new Set(await lineCount(frame, 'ul.users button'))).toEqual(new Set([1]));
  };
  await check();
  await screenshot(page, 'polish-2-emulator-frame');
  // Scanned: the other buttons still fit.
  await inFrame(page, 'scan', 'alice');
  await frame.waitForSelector('#status:has-text("Scanned")');
  await check();
  await page.click('#wechat-cancel');
  await context.close();
});

test('3. binding a WeChat account linked to someone else shows one message, the true one', async () => {
  // hank links laowang first.
  const { context: hankContext, page: hank } = await newPage(browser);
  await register(hank, demo.url, { username: 'hank', password: PASSWORD });
  await startQr(hank, '#wechat-bind');
  await inFrame(hank, 'confirm', 'laowang');
  await hank.waitForSelector('#wechat-notice:not([hidden])');
  await hankContext.close();

  // gina links alice: the green notice.
  const { context, page } = await newPage(browser);
  await register(page, demo.url, { username: 'gina', password: PASSWORD });
  await startQr(page, '#wechat-bind');
  await inFrame(page, 'confirm', 'alice');
  await page.waitForSelector('#wechat-notice:not([hidden])');
  expect(await text(page, '#wechat-notice')).toBe('WeChat account linked. You can now log in with it.');

  // …then tries laowang, hank's: only the refusal shows, not the old success next to it.
  await startQr(page, '#wechat-bind');
  expect(await page.isHidden('#wechat-notice')).toBe(true);
  await inFrame(page, 'confirm', 'laowang');
  expect(await waitForQrStatus(page, 'denied')).toBe('This WeChat account is already linked to another user. Unlink it there first.');
  expect(await page.isHidden('#wechat-notice')).toBe(true);
  expect(await page.isHidden('#wechat-error')).toBe(true);
  const card = page.locator('section[aria-labelledby="wechat-heading"]');
  const visibleText = await card.innerText();
  expect(visibleText).not.toContain('WeChat account linked');
  expect(visibleText.match(/already linked/g)).toHaveLength(1);
  await screenshot(page, 'polish-3-bind-refused');
  // gina still has her own link only.
  expect(await text(page, '#wechat-accounts .title')).toBe('Alice 🇬🇧');
  await context.close();
});

test('4. no internal field key (`__all__:`) in any message: unlinking the only login method', async () => {
  const { context, page } = await newPage(browser);
  await open(page, demo.url, '/login#wechat');
  await startQr(page, '#wechat-start');
  await inFrame(page, 'confirm', 'hanmeimei');
  await page.waitForURL(`${demo.url}/profile`);
  await ready(page);
  await page.waitForSelector('#wechat-accounts [data-unbind]');
  await page.click('#wechat-accounts [data-unbind]');
  await page.waitForSelector('#wechat-error:not([hidden])');
  expect(await text(page, '#wechat-error')).toBe(
    'This WeChat account is your only way to sign in. Set a password or link another account before unlinking it.',
  );
  expect(await page.innerText('body')).not.toMatch(/__all__|[a-z]+:\s*This WeChat/);
  await screenshot(page, 'polish-4-unlink-refused');
  // The API's own message (what any client shows) carries no key either.
  const answer = await page.evaluate(async () => {
    const response = await fetch('/trpc/wechat.unbind', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profileId: 1 }),
    });
    return response.text();
  });
  expect(answer).not.toMatch(/"message":"__all__/);
  await context.close();
});

test('5. the reset-password page checks the link when it opens and says "password changed, log in" after success', async () => {
  const { context, page } = await newPage(browser);
  // A bogus link: said at once, no form to fill in.
  await open(page, demo.url, '/reset-password?uid=MQ&token=not-a-token');
  expect(await page.isVisible('#reset-invalid')).toBe(true);
  expect(await page.locator('#reset-confirm-form').count()).toBe(0);
  expect(await text(page, '#reset-invalid-message')).toContain('invalid, has expired or has been used already');
  await screenshot(page, 'polish-5-reset-invalid');

  await register(page, demo.url, { username: 'ivy', email: 'ivy@example.com', password: PASSWORD });
  await logout(page, demo.url);
  await open(page, demo.url, '/password-reset');
  await page.fill('#reset-request-email', 'ivy@example.com');
  await page.click('#reset-request-submit');
  await page.waitForSelector('#reset-request-notice:not([hidden])');
  const link = await mailedResetLink('ivy');

  await page.goto(link);
  await ready(page);
  expect(await page.isVisible('#reset-confirm-form')).toBe(true);
  await page.fill('#reset-confirm-newPassword', 'Brand-New-Horse-8');
  await page.fill('#reset-confirm-newPassword2', 'Brand-New-Horse-8');
  await page.click('#reset-confirm-submit');
  await page.waitForSelector('#reset-done:not([hidden])');
  expect(await page.isHidden('#reset-confirm-card')).toBe(true);
  expect(await text(page, '#reset-done-notice')).toBe('Your password has been changed. Log in with your new password.');
  await screenshot(page, 'polish-5-reset-done');
  await page.click('#reset-done-login');
  await page.waitForURL(`${demo.url}/login`);

  // Used: the same link now says so when opened.
  await page.goto(link);
  await ready(page);
  expect(await page.isVisible('#reset-invalid')).toBe(true);
  expect(await page.locator('#reset-confirm-form').count()).toBe(0);
  await login(page, demo.url, 'ivy', 'Brand-New-Horse-8');
  await context.close();
});

test('6. every field error of a submission shows at once (registration, profile, password change)', async () => {
  const { context, page } = await newPage(browser);
  await register(page, demo.url, { username: 'jack', phone: '139 0000 1111', password: PASSWORD });
  await logout(page, demo.url);

  // Registration: taken username, bad email, weak password and a mismatch, all at once.
  await submitRegistration(page, demo.url, { username: 'jack', email: 'not-an-email', password: '12345', password2: '54321' });
  await page.waitForSelector('#register-password2-error:not([hidden])');
  expect(await text(page, '#register-username-error')).toBe('A user with that username already exists.');
  expect(await text(page, '#register-email-error')).toBe('Enter a valid email address.');
  const passwordError = await text(page, '#register-password-error');
  expect(passwordError).toContain('This password is too short.');
  expect(passwordError).toContain('This password is entirely numeric.');
  expect(await text(page, '#register-password2-error')).toBe("The two password fields didn't match.");
  await screenshot(page, 'polish-6-register-all-errors');

  // Profile: a bad avatar and a phone number someone else has, at once.
  await register(page, demo.url, { username: 'kim', password: PASSWORD });
  await page.fill('#profile-avatar', 'not a url');
  await page.fill('#profile-phone', '+86 139 0000 1111');
  await page.click('#profile-submit');
  await page.waitForSelector('#profile-phone-error:not([hidden])');
  expect(await text(page, '#profile-avatar-error')).toBe('Enter a valid http(s) URL.');
  expect(await text(page, '#profile-phone-error')).toBe('A user with that phone number already exists.');

  // Password change: wrong old password, weak new one, mismatch, at once.
  await page.fill('#password-oldPassword', 'not-my-password');
  await page.fill('#password-newPassword', 'abc');
  await page.fill('#password-newPassword2', 'abd');
  await page.click('#password-submit');
  await page.waitForSelector('#password-newPassword2-error:not([hidden])');
  expect(await text(page, '#password-oldPassword-error')).toBe('Your old password was entered incorrectly.');
  expect(await text(page, '#password-newPassword-error')).toContain('This password is too short.');
  expect(await text(page, '#password-newPassword2-error')).toBe("The two password fields didn't match.");
  await screenshot(page, 'polish-6-profile-all-errors');
  await context.close();
});

test('7. a revoked or ended session says "you were signed out" on the login page, once', async () => {
  const { context: laptopContext, page: laptop } = await newPage(browser);
  await register(laptop, demo.url, { username: 'lena', password: PASSWORD });
  const { context: phoneContext, page: phone } = await newPage(browser);
  await login(phone, demo.url, 'lena', PASSWORD);

  // Revoked from the laptop.
  await open(laptop, demo.url, '/profile');
  await laptop.waitForSelector('#sessions li[data-session]:not([data-current])');
  await laptop.click('#sessions li:not([data-current]) button[data-revoke]');
  await laptop.waitForSelector('#sessions li[data-session]:not([data-current])', { state: 'detached' });
  await phone.goto(`${demo.url}/profile`);
  await ready(phone);
  expect(phone.url()).toBe(`${demo.url}/login?next=%2Fprofile`);
  expect(await text(phone, '#login-signed-out')).toBe(
    'You were signed out: your session ended on another device (or by a password change) or expired. Please log in again.',
  );
  await screenshot(phone, 'polish-7-signed-out');
  // Once: a reload no longer says it.
  await open(phone, demo.url, '/login');
  expect(await phone.locator('#login-signed-out').count()).toBe(0);

  // Ended by a password change on the laptop.
  await login(phone, demo.url, 'lena', PASSWORD);
  await open(laptop, demo.url, '/profile');
  await laptop.fill('#password-oldPassword', PASSWORD);
  await laptop.fill('#password-newPassword', 'Lena-New-Horse-5');
  await laptop.fill('#password-newPassword2', 'Lena-New-Horse-5');
  await laptop.click('#password-submit');
  await laptop.waitForSelector('#password-notice:not([hidden])');
  await phone.goto(`${demo.url}/profile`);
  await ready(phone);
  expect(await phone.isVisible('#login-signed-out')).toBe(true);

  // Logging out yourself, or never having logged in, says nothing of the kind.
  await login(phone, demo.url, 'lena', 'Lena-New-Horse-5');
  await logout(phone, demo.url);
  expect(await phone.locator('#login-signed-out').count()).toBe(0);
  const { context: fresh, page: visitor } = await newPage(browser);
  await open(visitor, demo.url, '/login');
  expect(await visitor.locator('#login-signed-out').count()).toBe(0);
  await Promise.all([fresh.close(), phoneContext.close(), laptopContext.close()]);
});

test('8. phone numbers show formatted for the region (national at home, international otherwise), stored in E.164', async () => {
  const { context, page } = await newPage(browser);
  await register(page, demo.url, { username: 'mia', email: 'mia@example.com', phone: '+86 138-0013-8001', password: PASSWORD });
  expect(await page.inputValue('#profile-phone')).toBe('138 0013 8001');
  expect(await text(page, '#profile-details')).toBe('· mia@example.com · 138 0013 8001');
  expect(await stored(context)).toBe('+8613800138001');
  await screenshot(page, 'polish-8-phone-national');

  await page.fill('#profile-phone', '+1 (650) 253-0000');
  await page.click('#profile-submit');
  await page.waitForSelector('#profile-notice:not([hidden])');
  expect(await page.inputValue('#profile-phone')).toBe('+1 650 253 0000');
  expect(await text(page, '#profile-details')).toBe('· mia@example.com · +1 650 253 0000');
  expect(await stored(context)).toBe('+16502530000');
  // Saving the displayed form again keeps the number.
  await open(page, demo.url, '/profile');
  expect(await page.inputValue('#profile-phone')).toBe('+1 650 253 0000');
  await page.click('#profile-submit');
  await page.waitForSelector('#profile-notice:not([hidden])');
  expect(await stored(context)).toBe('+16502530000');
  await context.close();

  async function stored(ctx: BrowserContext): Promise<string> {
    const response = await ctx.request.get(`${demo.url}/trpc/auth.me`);
    return ((await response.json()) as { result: { data: { phone: string } } }).result.data.phone;
  }
});

test('9. admin table keeps emails, phones and headers whole; the login hint names no account and fits; the banner names createsuperuser', async () => {
  // The start-up banner says how to get an admin.
  expect(demo.output()).toContain('Admin     create one with `pnpm --filter @koa-auth/demo cli createsuperuser`');

  // No made-up account in the login form, and every placeholder on the forms fits its field.
  const { context, page } = await newPage(browser);
  for (const path of ['/login', '/register']) {
    await open(page, demo.url, path);
    expect(await page.getAttribute('#login-identifier', 'placeholder').catch(() => null)).toBeNull();
    const overflowing = await page.$$eval('input[placeholder]', (inputs) =>
      (inputs as unknown as InputView[])
        .filter((input) => {
          const page = globalThis as unknown as PageGlobals;
          const style = page.getComputedStyle(input);
          const canvas = page.document.createElement('canvas').getContext('2d')!;
          canvas.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return canvas.measureText(input.placeholder).width > room;
        })
        .map((input) => input.id),
    );
    expect(overflowing).toEqual([]);
  }
  await screenshot(page, 'polish-9-login');

  const made = await env.cli(['createsuperuser', '--noinput'], {
    env: { KOA_AUTH_SUPERUSER_USERNAME: 'root', KOA_AUTH_SUPERUSER_PASSWORD: 'Root-Horse-Battery-1' },
  });
  expect(made.code).toBe(0);
  await register(page, demo.url, {
    username: 'nora',
    email: 'nora.longname-with-many-parts@subdomain.example-company.com',
    phone: '+1 650 253 0001',
    nickname: 'Nora 🌼',
    password: PASSWORD,
  });
  await logout(page, demo.url);
  await login(page, demo.url, 'root', 'Root-Horse-Battery-1', '/profile');
  for (const width of [1100, 760]) {
    await page.setViewportSize({ width, height: 800 });
    await open(page, demo.url, '/admin/users');
    await page.waitForSelector('#admin-users tbody tr[data-username="nora"]');
    expect(new Set(await lineCount(page, '#admin-users th'))).toEqual(new Set([1]));
    expect(new Set(await lineCount(page, '#admin-users td.nowrap'))).toEqual(new Set([1]));
    expect(await text(page, '#admin-users tr[data-username="nora"] td:nth-child(4)')).toBe('+1 650 253 0001');
    await screenshot(page, `polish-9-admin-${width}`);
  }
  await context.close();
});

test('10. CJK and emoji render with real fonts (fonts-noto-cjk, fonts-noto-color-emoji), not boxes', async () => {
  const { context, page } = await newPage(browser);
  await register(page, demo.url, { username: 'olga', nickname: '小明 韩梅梅🌸✨🐱', password: PASSWORD });
  const cdp = await context.newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '#profile-name' });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  const families = fonts.map((f) => f.familyName);
  // Chromium names the fonts it drew the glyphs with: CJK from Noto CJK, emoji from Noto Color Emoji.
  expect(families.some((name) => /Noto (Sans|Serif) CJK/.test(name))).toBe(true);
  expect(families).toContain('Noto Color Emoji');
  await screenshot(page, 'polish-10-cjk-emoji');
  await context.close();
});

test('no page had a script error or a Content-Security-Policy violation', () => {
  expect(pageProblems()).toEqual([]);
});
