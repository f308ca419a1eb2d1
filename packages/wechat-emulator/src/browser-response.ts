/**
 * How a browser sees a phone action: on confirm, a 302 to the callback (or the duplicate-callback
 * page); on deny, no redirect — the page shows the cancellation — unless the legacy
 * `state_only` refusal knob is on (§1 Outcomes); on scan, the page in its new state.
 */
import type { Context } from 'koa';
import type { EmulatorContext } from './context.js';
import type { LoginSession } from './login-sessions.js';
import { renderDuplicateCallbackPage } from './pages/duplicate-callback-page.js';
import { renderLoginPage } from './pages/login-page.js';
import type { PhoneActionResult } from './phone.js';

export function respondToBrowser(ctx: Context, context: EmulatorContext, result: PhoneActionResult): void {
  const [first, second] = result.redirectUrls;
  if (first && second) {
    ctx.type = 'html';
    ctx.body = renderDuplicateCallbackPage(first, second);
  } else if (first) {
    ctx.redirect(first);
  } else {
    const session = context.sessions.get(result.ticket);
    if (session) renderSessionPage(ctx, context, session);
  }
}

/** Renders the QR / consent page of `session` with the headers tests and browsers rely on. */
export function renderSessionPage(ctx: Context, context: EmulatorContext, session: LoginSession): void {
  ctx.set('x-emulator-ticket', session.ticket);
  // Only the wxLogin (jssdk) variant is meant to be framed.
  if (!session.request.jssdk) ctx.set('Content-Security-Policy', "frame-ancestors 'none'");
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'html';
  ctx.body = renderLoginPage(session, context.sessions.status(session), context.users.values());
}
