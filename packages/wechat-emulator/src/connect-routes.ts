/**
 * Browser-facing pages on `open.weixin.qq.com` (§1, §2): the QR login page and its jssdk
 * variant, the Official Account consent page, the QR page's long-poll, and wxLogin.js.
 * Invalid links get an error page and never a redirect; the error page keeps HTTP 200 like
 * WeChat's, and carries the reason in `x-emulator-error` for tests.
 */
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { parseAuthorizeRequest, type AuthorizeFlow } from './authorize-request.js';
import { renderSessionPage, respondToBrowser } from './browser-response.js';
import type { EmulatorContext } from './context.js';
import { LONG_POLL_CODE } from './login-sessions.js';
import { renderErrorPage } from './pages/error-page.js';
import { WX_LOGIN_SCRIPT_PATH, wxLoginScript } from './pages/wxlogin-script.js';
import { phoneAction } from './phone.js';

export function connectRoutes(context: EmulatorContext): Router {
  const router = new Router();

  const authorizePage = (flow: AuthorizeFlow) => async (ctx: Context) => {
    // URLSearchParams keeps the parameter order, which the OA endpoint checks.
    const parsed = parseAuthorizeRequest(flow, new URLSearchParams(ctx.querystring), context);
    if (!parsed.ok) {
      ctx.set('x-emulator-error', parsed.error.slug);
      ctx.type = 'html';
      ctx.body = renderErrorPage(parsed.error);
      return;
    }
    const session = context.sessions.create(parsed.request);
    const autoUser = context.knobs.get().autoApproveUser;
    if (autoUser && context.users.has(autoUser)) {
      ctx.set('x-emulator-ticket', session.ticket);
      respondToBrowser(ctx, context, await phoneAction(context, { ticket: session.ticket, user: autoUser }));
      return;
    }
    renderSessionPage(ctx, context, session);
  };

  router.get('/connect/qrconnect', authorizePage('qrconnect'));
  router.get('/connect/oauth2/authorize', authorizePage('oauth2'));

  // The QR page's long-poll (lp.open.weixin.qq.com in reality). Answers at once instead of
  // holding the request, which keeps shutdown simple; the page polls every second.
  router.get('/connect/l/qrconnect', (ctx) => {
    const uuid = typeof ctx.query.uuid === 'string' ? ctx.query.uuid : '';
    const session = context.sessions.get(uuid);
    const status = session ? context.sessions.status(session) : 'expired';
    const code = status === 'confirmed' && session?.code ? session.code : '';
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/javascript';
    ctx.body = `window.wx_errcode=${LONG_POLL_CODE[status]};window.wx_code='${code}';`;
  });

  router.get(WX_LOGIN_SCRIPT_PATH, (ctx) => {
    ctx.type = 'application/javascript';
    // Not ctx.origin: since Koa 3 that is the request's Origin header, not this server's origin.
    ctx.body = wxLoginScript(`${ctx.protocol}://${ctx.host}`);
  });

  return router;
}
