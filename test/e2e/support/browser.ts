/**
 * Debian's Chromium driven by playwright-core (no browser download): one browser per test
 * file, one context per simulated person or device.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { screenshotsDir } from './paths.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const problems: string[] = [];

/**
 * Uncaught script errors and Content-Security-Policy violations seen on any page of this test
 * file (failed requests are not counted: a refused login is a 401 on purpose).
 */
export function pageProblems(): readonly string[] {
  return problems;
}

function watch(page: Page): void {
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.name}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
  });
}

/** A fresh context (own cookies) and page, with the timeouts the tests rely on. */
export async function newPage(
  browser: Browser,
  options: { userAgent?: string; viewport?: { width: number; height: number }; isMobile?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1100, height: 800 },
    locale: 'en-GB',
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    ...(options.isMobile ? { isMobile: true, hasTouch: true } : {}),
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  context.on('page', watch);
  const page = await context.newPage();
  return { context, page };
}

/** Full-page screenshot into test-artefacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
}
