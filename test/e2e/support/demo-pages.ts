/**
 * What a person does on the demo's pages, by the forms' stable ids. Every page marks itself
 * ready (`body[data-ready]`) once its script has wired the forms; actions wait for that.
 */
import type { Page } from 'playwright-core';

/** Opens `path` and waits for the page's script. */
export async function open(page: Page, base: string, path: string): Promise<void> {
  await page.goto(base + path, { waitUntil: 'domcontentloaded' });
  await ready(page);
}

export async function ready(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
}

export interface Registration {
  username: string;
  password: string;
  email?: string;
  phone?: string;
  nickname?: string;
  password2?: string;
}

/** Fills and sends the registration form (does not wait for the outcome). */
export async function submitRegistration(page: Page, base: string, r: Registration): Promise<void> {
  await open(page, base, '/register');
  await page.fill('#register-username', r.username);
  if (r.email) await page.fill('#register-email', r.email);
  if (r.phone) await page.fill('#register-phone', r.phone);
  if (r.nickname) await page.fill('#register-nickname', r.nickname);
  await page.fill('#register-password', r.password);
  await page.fill('#register-password2', r.password2 ?? r.password);
  await page.click('#register-submit');
}

/** Registers and waits until the profile page shows. */
export async function register(page: Page, base: string, r: Registration): Promise<void> {
  await submitRegistration(page, base, r);
  await page.waitForURL(`${base}/profile`);
  await ready(page);
}

/** Fills and sends the login form (does not wait for the outcome). */
export async function submitLogin(page: Page, base: string, identifier: string, password: string): Promise<void> {
  await open(page, base, '/login');
  await page.fill('#login-identifier', identifier);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
}

/** Logs in and waits for the profile page (or `landing`). */
export async function login(page: Page, base: string, identifier: string, password: string, landing = '/profile'): Promise<void> {
  await submitLogin(page, base, identifier, password);
  await page.waitForURL(base + landing);
  await ready(page);
}

/** The top bar's "Log out", then the login page. */
export async function logout(page: Page, base: string): Promise<void> {
  await page.click('#logout');
  await page.waitForURL(`${base}/login`);
  await ready(page);
}

/** The visible text of an element, trimmed. */
export async function text(page: Page, selector: string): Promise<string> {
  return ((await page.textContent(selector)) ?? '').trim();
}

/**
 * Waits until `selector` matches exactly `count` elements. Polled from here: the pages' CSP
 * forbids eval, so Playwright's string predicates cannot run in them.
 */
export async function waitForCount(page: Page, selector: string, count: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await page.locator(selector).count();
    if (found === count) return;
    if (Date.now() > deadline) throw new Error(`Expected ${count} × ${selector}, found ${found}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
