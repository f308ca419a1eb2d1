import type { AbstractUser, Auth } from '@koa-auth/core';
import type { TRPCBuiltRouter, TRPCCreateRouterOptions, TRPCDecorateCreateRouterOptions } from '@trpc/server';
import type { Middleware } from 'koa';
import compose from 'koa-compose';
import { bearerAuthenticator } from '../authenticators/bearer-authenticator.js';
import { sessionAuthenticator } from '../authenticators/session-authenticator.js';
import { csrfProtection } from '../csrf/csrf-protection.js';
import { authErrorHandler } from '../guards/error-handler.js';
import { allowedHosts } from '../hosts/allowed-hosts.js';
import { authMiddleware } from '../middleware/auth.js';
import { session } from '../session/session.js';
import { LoginThrottle } from '../throttle/login-throttle.js';
import { TokenService } from '../jwt/token-service.js';
import { createAuthRouter, type AuthRouter } from '../trpc/auth-router.js';
import { koaTrpc } from '../trpc/koa-trpc.js';
import { router, type t } from '../trpc/trpc.js';
import { ImproperlyConfigured } from '@koa-auth/core';
import type { KoaAuthOptions } from './koa-auth-options.js';
import { checkSmsOptions } from './sms-check.js';
import { weakenedDefaults } from './weakened-defaults.js';

/** The router koaAuth() serves: `auth.*` plus the app's own `routers`. */
export type KoaAuthRouter<TRecord extends TRPCCreateRouterOptions> = TRPCBuiltRouter<
  (typeof t)['_config']['$types'],
  TRPCDecorateCreateRouterOptions<{ auth: AuthRouter } & TRecord>
>;

/** What koaAuth() returns. */
export interface KoaAuthStack<U extends AbstractUser, TRecord extends TRPCCreateRouterOptions> {
  /** The whole standard stack as one middleware, for `app.use`. Requests it does not answer go on to the app's middleware. */
  middleware: Middleware;
  /** The tRPC router served at the prefix; `typeof stack.router` is the type the client takes. */
  router: KoaAuthRouter<TRecord>;
  /** The `auth.*` router alone (for apps that mount tRPC themselves). */
  authRouter: AuthRouter;
  /** The TokenService behind bearer tokens, or null when they are off. */
  tokens: TokenService<U> | null;
  /** The login throttle, or null when it is off. */
  throttle: LoginThrottle | null;
  /** The start-up warnings that were given (one per weakened default). */
  warnings: readonly string[];
}

/**
 * The standard koa-auth stack in its one tested order, with secure defaults:
 * typed-error handler → allowed hosts → server-side session → lazy `ctx.state.user` (bearer
 * token, then session cookie; logout and password changes revoke the user's tokens) → CSRF
 * check → tRPC at `/trpc` (`auth.*` and the app's `routers`). Login throttling is on,
 * registration is off, bearer tokens are on; every weakened default is warned about once, here.
 * The parts stay exported for custom stacks.
 *
 * ```ts
 * const stack = koaAuth({ auth, allowedHosts: ['example.com'], routers: { todo: todoRouter } });
 * app.use(stack.middleware);
 * export type AppRouter = typeof stack.router;
 * ```
 */
export function koaAuth<U extends AbstractUser, TRecord extends TRPCCreateRouterOptions = Record<never, never>>(
  options: KoaAuthOptions<U, TRecord>,
): KoaAuthStack<U, TRecord> {
  const { auth } = options;
  if (!auth) throw new ImproperlyConfigured('koaAuth needs the auth object: koaAuth({ auth, allowedHosts }).');
  if (options.allowedHosts !== false && !Array.isArray(options.allowedHosts)) {
    throw new ImproperlyConfigured("koaAuth needs allowedHosts: the site's host names (e.g. ['example.com']), or false to accept any Host.");
  }
  const routers = (options.routers ?? {}) as TRecord;
  if ('auth' in routers) throw new ImproperlyConfigured('koaAuth routers must not be named "auth": koaAuth serves its own auth router there.');

  checkSmsOptions(auth, options.sms);
  const tokens = options.tokens === false ? null : (options.tokens ?? new TokenService<U>(auth));
  const throttle =
    options.throttle === false
      ? null
      : options.throttle instanceof LoginThrottle
        ? options.throttle
        : new LoginThrottle({ store: auth.store, ...options.throttle });
  const authRouter = createAuthRouter({
    allowRegistration: options.allowRegistration === true,
    ...(tokens && { tokens: tokens as unknown as TokenService<AbstractUser> }),
    // false, not absent: the auth router would otherwise build a default throttle of its own.
    throttle: throttle ?? false,
    ...(options.limits !== undefined && { limits: options.limits }),
    ...(options.mailer && { mailer: options.mailer }),
    ...(options.passwordResetUrl !== undefined && { passwordResetUrl: options.passwordResetUrl }),
    ...(options.publicUrl !== undefined && { publicUrl: options.publicUrl }),
    ...(options.sms && { sms: options.sms }),
  });
  const appRouter = router({ ...routers, auth: authRouter }) as unknown as KoaAuthRouter<TRecord>;
  const authenticators = options.authenticators ?? [...(tokens ? [bearerAuthenticator(tokens)] : []), sessionAuthenticator<U>()];

  const warnings = weakenedDefaults(options);
  const warn = options.warn ?? ((message: string) => console.warn(message));
  for (const line of warnings) warn(line);

  const middleware = compose([
    authErrorHandler(options.errors),
    ...(options.allowedHosts === false ? [] : [allowedHosts(options.allowedHosts)]),
    session({ auth: auth as unknown as Auth<AbstractUser>, ...options.session }),
    authMiddleware(auth, { authenticators, ...(tokens && { revoker: tokens }) }),
    csrfProtection(options.csrf),
    koaTrpc({ router: appRouter, ...options.trpc }),
  ]);
  return { middleware, router: appRouter, authRouter, tokens, throttle, warnings };
}
