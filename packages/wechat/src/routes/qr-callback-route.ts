/**
 * The Koa handler of GET `/auth/wechat/callback?code=…&state=…` (QR login and binding).
 * Rejected states get a 400 page; a confirmed login redirects to `successUrl` when configured
 * (a clean URL, so reload/back cannot replay the code) or shows "you can close this window".
 * A duplicate callback gets the same answer as the first one.
 */
import type { AbstractUser } from '@koa-auth/core';
import type { Context } from 'koa';
import type { QrLogin } from '../qr-login/qr-login.js';
import type { QrOutcome } from '../qr-login/qr-records.js';
import type { QrLoginMode } from '../qr-login/qr-types.js';
import { SPENT_CODE_REASON } from '../qr-login/outcomes.js';
import { renderResultPage } from './result-page.js';

export interface QrCallbackRouteOptions {
  /** Where the browser goes after a confirmed login or binding, e.g. `/`. Default: a page. */
  successUrl?: string;
  /** The page where a QR login starts: the "Start again" button of failure pages. Default `/`. */
  loginUrl?: string;
  /** The pages' link home. Default `/`. */
  homeUrl?: string;
}

/**
 * The Koa handler of the QR callback route: 400 page for a rejected state, 202 while a duplicate's
 * first callback is still being processed, a redirect to `successUrl` (no-store, no-referrer) or
 * a success page when confirmed, an error page with "Start again" otherwise.
 */
export function qrCallbackHandler<U extends AbstractUser>(qr: QrLogin<U>, options: QrCallbackRouteOptions = {}) {
  return async function wechatQrCallback(ctx: Context): Promise<void> {
    const result = await qr.handleCallback({
      state: typeof ctx.query.state === 'string' ? ctx.query.state : undefined,
      code: typeof ctx.query.code === 'string' ? ctx.query.code : undefined,
      ip: ctx.ip,
      header: (name) => ctx.get(name) || undefined,
    });
    if (result.kind === 'rejected') {
      ctx.status = 400;
      return renderResultPage(ctx, { title: 'Login link expired', message: result.reason.message, ...actions(options) });
    }
    respond(ctx, result.mode, result.outcome, options);
  };
}

function respond(ctx: Context, mode: QrLoginMode, outcome: QrOutcome | null, options: QrCallbackRouteOptions): void {
  if (outcome === null) {
    ctx.status = 202;
    renderResultPage(ctx, { title: 'Please wait', message: 'Your WeChat login is being processed in your other window.' });
    return;
  }
  if (outcome.status === 'confirmed') {
    if (options.successUrl) {
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.redirect(options.successUrl);
      return;
    }
    ctx.status = 200;
    const title = mode === 'bind' ? 'WeChat account linked' : 'Logged in with WeChat';
    renderResultPage(ctx, { title, message: 'You can close this window.' });
    return;
  }
  ctx.status = failureStatus(outcome);
  renderResultPage(ctx, { title: outcome.status === 'denied' ? 'Login refused' : 'Login failed', message: outcome.reason.message, ...actions(options) });
}

/** "Start again" (the login page) and "Home": failure pages are no dead ends. */
function actions(options: QrCallbackRouteOptions) {
  return { startAgain: { href: options.loginUrl ?? '/', method: 'get' as const }, homeUrl: options.homeUrl ?? '/' };
}

/** 403 for a refusal, 400 for a forged, used or expired code, 502 when WeChat failed. */
function failureStatus(outcome: Exclude<QrOutcome, { status: 'confirmed' }>): number {
  if (outcome.status === 'denied') return 403;
  return outcome.reason.code === SPENT_CODE_REASON ? 400 : 502;
}
