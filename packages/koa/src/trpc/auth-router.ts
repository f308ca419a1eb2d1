import {
  confirmPasswordReset,
  ImproperlyConfigured,
  InvalidCredentials,
  requestPasswordReset,
  ValidationError,
  type AbstractUser,
  type MailSender,
} from '@koa-auth/core';
import { passwordMismatch, passwordResetPageUrl } from '@koa-auth/core/internal';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { AuthenticationFailed } from '../errors.js';
import { authRequestOf } from '../login/auth-request.js';
import { endUserSessions } from '../login/end-user-sessions.js';
import { updateSessionAuthHash } from '../login/update-session-auth-hash.js';
import { createSmsRouter } from '../sms/sms-router.js';
import type { SmsOptions } from '../sms/sms-options.js';
import { listUserSessions, revokeUserSession } from '../login/user-sessions.js';
import { sessionStoreOf } from '../session/session.js';
import { canonicalAccount } from '../throttle/canonical-account.js';
import { loginAccount, userAccount } from '../throttle/login-account.js';
import type { LoginThrottle } from '../throttle/login-throttle.js';
import type { TokenService } from '../jwt/token-service.js';
import { authThrottles, type AuthRouterLimits } from './auth-throttles.js';
import type { AuthTrpcContext } from './context.js';
import { loginCredentials } from '../login/login-credentials.js';
import { credentialProcedure, oneCredentialCheck, protectedProcedure } from './procedures.js';
import { publicUser } from './public-user.js';
import { publicProcedure, router } from './trpc.js';

export interface AuthRouterOptions {
  /**
   * Login throttling: `auth.login`, `auth.token` and wrong old passwords in
   * `auth.changePassword` all count against the account's one counter. Default: a LoginThrottle
   * with its default limits on `auth.store`; `false`: none (not recommended).
   */
  throttle?: LoginThrottle | false;
  /** Limits of `auth.register` and `auth.passwordReset.request` (see AuthRouterLimits for the defaults). */
  limits?: AuthRouterLimits;
  /** JWT pairs for bearer clients (`auth.token`, `auth.refresh`); those procedures answer 404 without it. */
  tokens?: TokenService<AbstractUser>;
  /** Where reset mail goes. Without it, `passwordReset.request` answers 404. */
  mailer?: MailSender;
  /**
   * The site's public origin (`https://example.com`), Django's site URL: links in mail are built
   * from it and never from the request's Host header. Required with `mailer`.
   */
  publicUrl?: string;
  /** Path on `publicUrl` of the page that takes `?uid=…&token=…` and calls `passwordReset.confirm`. Default '/reset-password'. */
  passwordResetUrl?: string;
  /** Let anyone register. Default true. */
  allowRegistration?: boolean;
  /** SMS verification codes (`auth.sms.*`); those procedures answer 404 without it. */
  sms?: SmsOptions;
}

const identifier = z.string().trim().min(1, 'This field is required.').max(254);
const password = z.string().min(1, 'This field is required.').max(4096);
const newPassword = z.string().max(4096);
/** The password typed a second time (optional: clients that confirm it themselves leave it out). */
const confirmation = z.string().max(4096).optional();

/** Throws `error` when there is one (for ValidationError.collect). */
function raise(error: ValidationError | null): void {
  if (error) throw error;
}

/**
 * The `auth.*` procedures the client SDK and the demo rely on. Failed credentials always get
 * the same UNAUTHORIZED message whether the account exists or not; an attempt is reserved
 * with the throttle before the password is hashed, so a right password during a lockout is
 * refused too and concurrent attempts never pass the limit. Procedures that check a secret
 * make at most one such check per HTTP request (credentialProcedure).
 */
export function createAuthRouter(options: AuthRouterOptions = {}) {
  const { tokens, mailer } = options;
  const reset = mailer ? { mailer, pageUrl: passwordResetPage(options) } : null;
  const throttlesOf = authThrottles(options.throttle, options.limits);

  /** Authenticate identifier + password under the throttle, or throw. */
  async function checkCredentials(ctx: AuthTrpcContext, input: { identifier: string; password: string }) {
    const throttle = throttlesOf(ctx.auth.store).login;
    const attempt = throttle ? await throttle.reserve(await loginAccount(ctx.auth, input.identifier), ctx.koa.ip) : undefined;
    const user = await ctx.auth.authenticate(authRequestOf(ctx.koa), loginCredentials(ctx.auth, input.identifier, input.password));
    if (!user) {
      await attempt?.failed();
      throw new InvalidCredentials();
    }
    await attempt?.succeeded();
    return user;
  }

  /**
   * Count a reset request per address (429 when used up) and per email, known or not; false
   * when this email already had its mail this window: the caller answers the same `ok` and
   * sends nothing, so the answer tells nothing and a mailbox gets one mail per window.
   */
  async function allowResetMail(ctx: AuthTrpcContext, email: string): Promise<boolean> {
    const throttle = throttlesOf(ctx.auth.store).passwordReset;
    if (!throttle) return true;
    await throttle.hitAddress(ctx.koa.ip);
    return throttle.allowsTarget(`email:${canonicalAccount(ctx.auth, email)}`);
  }

  function requireTokens(): TokenService<AbstractUser> {
    if (!tokens) throw new TRPCError({ code: 'NOT_FOUND', message: 'Token authentication is not enabled.' });
    return tokens;
  }

  return router({
    sms: createSmsRouter(options.sms, (store) => throttlesOf(store).login),

    register: publicProcedure
      .input(
        z.object({
          username: z.string().max(150).optional(),
          email: z.string().max(254).optional(),
          phone: z.string().max(64).optional(),
          nickname: z.string().max(150).optional(),
          password: newPassword,
          password2: confirmation,
        }),
      )
      .mutation(async ({ ctx, input }) => {
        if (options.allowRegistration === false) throw new TRPCError({ code: 'FORBIDDEN', message: 'Registration is closed.' });
        // Every call counts, taken before the work: "already taken" answers are an oracle.
        await throttlesOf(ctx.auth.store).register?.hitAddress(ctx.koa.ip);
        const { password2, ...rest } = input;
        // Required: an empty password must never create an account with an unusable one. Checked
        // here rather than in the input schema so it is reported with every other problem.
        const found = [
          input.password === '' ? ValidationError.field('password', 'required', 'This field is required.') : null,
          passwordMismatch('password2', input.password, password2),
        ].filter((e): e is ValidationError => e !== null);
        const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== ''));
        const user = await ctx.auth.users.createUser(
          { accountType: input.phone && !input.username ? 'phone' : input.email && !input.username ? 'email' : 'username', ...fields },
          { formErrors: found.length > 0 ? ValidationError.merge(found) : null },
        );
        await ctx.login(user, ctx.auth.backends[0]!.name);
        return publicUser(ctx.auth, user);
      }),

    login: credentialProcedure.input(z.object({ identifier, password })).mutation(async ({ ctx, input }) => {
      const user = await checkCredentials(ctx, input);
      await ctx.login(user);
      return publicUser(ctx.auth, user);
    }),

    logout: publicProcedure.mutation(async ({ ctx }) => {
      await ctx.logout();
      return { ok: true as const };
    }),

    me: publicProcedure.query(async ({ ctx }) => {
      const user = await ctx.getUser();
      return user.isAuthenticated ? publicUser(ctx.auth, user) : null;
    }),

    changePassword: protectedProcedure
      .use(oneCredentialCheck)
      .input(z.object({ oldPassword: z.string().max(4096), newPassword, newPassword2: confirmation }))
      .mutation(async ({ ctx, input }) => {
        // Old-password guesses count against the user's login counter (and the address).
        const attempt = await throttlesOf(ctx.auth.store).login?.reserve(userAccount(ctx.user), ctx.koa.ip);
        // Every problem at once (Django's PasswordChangeForm): old password, confirmation, validators.
        await ValidationError.collect([
          async () => {
            // A refused old password (e.g. a NUL in it) is reported on the field the client sent.
            const oldCorrect = await ctx.auth.checkPassword(ctx.user, input.oldPassword).catch((error: unknown) => {
              throw error instanceof ValidationError && error.fields.password ? new ValidationError({ oldPassword: error.fields.password }) : error;
            });
            if (!oldCorrect) {
              await attempt?.failed();
              throw ValidationError.field('oldPassword', 'password_incorrect', 'Your old password was entered incorrectly.');
            }
            await attempt?.succeeded();
          },
          () => raise(passwordMismatch('newPassword2', input.newPassword, input.newPassword2)),
          () => ctx.auth.validatePassword(input.newPassword, ctx.user),
        ]);
        await ctx.auth.changePassword(ctx.user, input.newPassword);
        await updateSessionAuthHash(ctx.koa, ctx.user);
        return { ok: true as const };
      }),

    token: credentialProcedure.input(z.object({ identifier, password, device: z.string().max(128).optional() })).mutation(async ({ ctx, input }) => {
      const service = requireTokens();
      const user = await checkCredentials(ctx, input);
      return service.issue(user, { device: input.device, ip: ctx.koa.ip });
    }),

    refresh: publicProcedure.input(z.object({ refreshToken: z.string().min(1).max(4096) })).mutation(async ({ input }) => {
      return requireTokens().refresh(input.refreshToken);
    }),

    sessions: router({
      list: protectedProcedure.query(({ ctx }) => listUserSessions(ctx.koa, ctx.user)),
      revoke: protectedProcedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(async ({ ctx, input }) => {
        if (!(await revokeUserSession(ctx.koa, ctx.user, input.id))) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such session.' });
        return { ok: true as const };
      }),
    }),

    passwordReset: router({
      request: publicProcedure.input(z.object({ email: z.string().trim().min(1).max(254) })).mutation(async ({ ctx, input }) => {
        if (!reset) throw new TRPCError({ code: 'NOT_FOUND', message: 'Password reset is not enabled.' });
        if (!(await allowResetMail(ctx, input.email))) return { ok: true as const };
        // Not waiting for `delivered`: the answer must not take longer when the account exists.
        await requestPasswordReset(ctx.auth, { email: input.email, ...reset });
        return { ok: true as const };
      }),

      confirm: publicProcedure
        .input(z.object({ uid: z.string().max(64), token: z.string().max(128), newPassword, newPassword2: confirmation }))
        .mutation(async ({ ctx, input }) => {
          const user = await confirmPasswordReset(ctx.auth, input);
          if (!user) throw new AuthenticationFailed('The password reset link is invalid or has expired.');
          // A reset means the password may be known to someone else: end every session and token.
          await endUserSessions(ctx.auth, user.id, { sessions: sessionStoreOf(ctx.koa), ...(tokens ? { revoker: tokens } : {}) });
          return { ok: true as const };
        }),
    }),
  });
}

// Checked when the router is built, so a missing or bad publicUrl stops the app at startup.
function passwordResetPage(options: AuthRouterOptions): string {
  if (options.publicUrl === undefined) {
    throw new ImproperlyConfigured(
      "createAuthRouter needs `publicUrl` (the site's public origin) when `mailer` is set: reset links are built from it, never from the request Host.",
    );
  }
  return passwordResetPageUrl(options.publicUrl, options.passwordResetUrl);
}

/** The type of the auth router, for clients. */
export type AuthRouter = ReturnType<typeof createAuthRouter>;
