/**
 * The phone's part of a WeChat QR login, in the browser: the QR page (shown by the demo in a
 * frame and as a link) is opened in a second window, where the bundled emulator lists its test
 * users with the buttons a phone would offer. Scanning then confirming as a user sends that
 * window to the demo's callback; the first window, waiting on the client SDK, goes on by itself.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { screenshot } from './browser.js';

/** Starts the flow with `startButton`, confirms as `user` in a popup, returns the popup (on the callback's page). */
export async function confirmInPopup(context: BrowserContext, page: Page, startButton: string, user: string, shot?: string): Promise<Page> {
  await page.click(startButton);
  const link = page.locator('#wechat-qr-link[href]');
  await link.waitFor({ state: 'visible' });
  // The framed QR page must have loaded too (the CSP allows the emulator as a frame source).
  await page.frameLocator('#wechat-qr-frame').locator(`button[data-action="confirm"][data-user="${user}"]`).waitFor();
  if (shot) await screenshot(page, shot);

  const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await popup.waitForLoadState('domcontentloaded');
  await popup.click(`button[data-action="scan"][data-user="${user}"]`);
  await popup.waitForSelector(`button[data-action="confirm"][data-user="${user}"]`);
  if (shot) await screenshot(popup, `${shot}-phone`);
  await Promise.all([popup.waitForURL(/\/auth\/wechat\/callback/), popup.click(`button[data-action="confirm"][data-user="${user}"]`)]);
  return popup;
}
