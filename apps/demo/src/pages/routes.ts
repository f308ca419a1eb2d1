/**
 * The HTML pages. Each is a server-rendered shell (escaped throughout) run by the browser bundle;
 * access rules are enforced here, on the server, with koa-auth's guards:
 *
 * | path | who |
 * |---|---|
 * | `/` | anyone: to /profile or /login |
 * | `/login`, `/register` | logged out (logged-in users go on to `next`) |
 * | `/password-reset`, `/reset-password` | anyone |
 * | `/profile` | logged in (`loginRequired`: else to /login?next=/profile) |
 * | `/admin/users` | `auth.view_user` (`permissionRequired(…, { raise: true })`: 403 page when lacking it) |
 *
 * Anything else is a 404 page.
 */
import { Router } from '@koa/router';
import type { Auth, User } from '@koa-auth/core';
import { loginRequired, permissionRequired, publicUser, safeRedirectPath } from '@koa-auth/koa';
import { authStateOf } from '@koa-auth/koa/internal';
import { passwordResetLinkUser } from '@koa-auth/core/internal';
import { htmlErrors } from '../http/html-errors.js';
import type { KoaContext, KoaMiddleware } from '../http/koa.js';
import { setPageSecurityHeaders } from '../http/security-headers.js';
import { adminUsersContent } from './admin-page.js';
import { errorContent, errorTexts } from './error-page.js';
import type { SafeHtml } from './html.js';
import { layout, type NavUser } from './layout.js';
import { loginContent } from './login-page.js';
import { resetConfirmContent, resetLinkInvalidContent, resetRequestContent } from './password-reset-pages.js';
import { profileContent } from './profile-page.js';
import { registerContent } from './register-page.js';
import { noteEndedSession, takeSignedOutNotice } from './signed-out-notice.js';

/** The permission the admin page and `admin.*` need. */
export const VIEW_USERS = 'auth.view_user';

export interface PageOptions {
  auth: Auth<User>;
  /** Origin of WeChat's QR page, the one frame source the pages allow. */
  wechatOpenOrigin: string;
  /** An Official Account is configured: WeChat's in-app browser gets OA login instead of a QR code. */
  wechatOa?: boolean;
}

interface Page {
  title: string;
  page: string;
  content: SafeHtml;
  data?: unknown;
  narrow?: boolean;
}

const PAGE_PATHS = ['/', '/login', '/register', '/password-reset', '/reset-password', '/profile', '/admin/users'];

export function pageRoutes(options: PageOptions): KoaMiddleware {
  const { auth } = options;

  async function navUser(ctx: KoaContext): Promise<NavUser | null> {
    const user = await authStateOf(ctx).getUser();
    if (!user.isAuthenticated) return null;
    return { name: user.getShortName(), canViewUsers: await auth.hasPerm(user, VIEW_USERS) };
  }

  async function render(ctx: KoaContext, page: Page): Promise<void> {
    const user = await navUser(ctx);
    setPageSecurityHeaders(ctx, options.wechatOpenOrigin);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = layout({ ...page, path: ctx.path, user });
  }

  async function renderError(ctx: KoaContext, status: number): Promise<void> {
    await render(ctx, { title: errorTexts(status).title, page: 'error', content: errorContent(status), narrow: true });
  }

  /** Where to go after logging in: a same-site path from `?next=`, never back to the login page. */
  function nextPath(ctx: KoaContext): string {
    const next = safeRedirectPath(ctx.query.next, '/profile');
    return next === '/' || /^\/(login|register)(\/|\?|$)/.test(next) ? '/profile' : next;
  }

  /** Logged-in users have nothing to do on the login and register pages. */
  const loggedOutOnly: KoaMiddleware = async (ctx, next) => {
    if ((await authStateOf(ctx).getUser()).isAuthenticated) return ctx.redirect(nextPath(ctx));
    await next();
  };

  const router = new Router();
  router.get('/', async (ctx) => ctx.redirect((await authStateOf(ctx).getUser()).isAuthenticated ? '/profile' : '/login'));
  router.get('/login', loggedOutOnly, (ctx) => {
    // WeChat's in-app browser says so in its user agent (`MicroMessenger/…`).
    const inWechat = options.wechatOa === true && /MicroMessenger/i.test(ctx.get('user-agent'));
    return render(ctx, {
      title: 'Log in',
      page: 'login',
      content: loginContent({ next: nextPath(ctx), signedOut: takeSignedOutNotice(ctx), inWechat }),
      data: { next: nextPath(ctx), inWechat },
      narrow: true,
    });
  });
  router.get('/register', loggedOutOnly, (ctx) =>
    render(ctx, { title: 'Register', page: 'register', content: registerContent(), data: { next: nextPath(ctx) }, narrow: true }),
  );
  router.get('/password-reset', (ctx) => render(ctx, { title: 'Reset your password', page: 'password-reset', content: resetRequestContent(), narrow: true }));
  router.get('/reset-password', async (ctx) => {
    const { uid, token } = ctx.query;
    if (!(await passwordResetLinkUser(auth, uid, token))) {
      return render(ctx, { title: "This link can't be used", page: 'reset-password-invalid', content: resetLinkInvalidContent(), narrow: true });
    }
    await render(ctx, {
      title: 'Choose a new password',
      page: 'reset-password',
      content: resetConfirmContent(),
      data: { uid: String(uid), token: String(token) },
      narrow: true,
    });
  });
  router.get('/profile', loginRequired(), async (ctx) => {
    const user = await authStateOf(ctx).getUser();
    if (!user.isAuthenticated) return;
    const phone = user.phone ? auth.users.formatPhone(user.phone) : null;
    await render(ctx, { title: 'Your profile', page: 'profile', content: profileContent(publicUser(auth, user), phone) });
  });
  // Anonymous visitors are sent to log in; a logged-in user without the permission gets 403.
  router.get('/admin/users', loginRequired(), permissionRequired(VIEW_USERS, { raise: true }), (ctx) =>
    render(ctx, { title: 'Users', page: 'admin-users', content: adminUsersContent() }),
  );
  // Forms are sent by the page's script; a form posted without it lands here.
  router.post(PAGE_PATHS, async (ctx) => {
    await renderError(ctx, 405);
    ctx.status = 405;
  });

  const routes = router.routes() as unknown as KoaMiddleware;
  const errors = htmlErrors(renderError);
  return async (ctx, next) => {
    await errors(ctx, async () => {
      await noteEndedSession(ctx);
      await routes(ctx, async () => {
        await next();
        if (ctx.status === 404 && ctx.body == null && ctx.method === 'GET' && ctx.accepts('html') === 'html') {
          await renderError(ctx, 404);
          ctx.status = 404;
        }
      });
    });
  };
}
