import type { AbstractUser, Auth, MailSender } from '@koa-auth/core';
import type { TRPCCreateRouterOptions } from '@trpc/server';
import type { RequestAuthenticator } from '../authenticators/request-authenticator.js';
import type { CsrfProtectionOptions } from '../csrf/csrf-protection.js';
import type { AuthErrorHandlerOptions } from '../guards/error-handler.js';
import type { SessionOptions } from '../session/session.js';
import type { SmsOptions } from '../sms/sms-options.js';
import type { LoginThrottle, LoginThrottleOptions } from '../throttle/login-throttle.js';
import type { TokenService } from '../jwt/token-service.js';
import type { AuthRouterLimits } from '../trpc/auth-throttles.js';

/** Options of {@link koaAuth}. Every default is the secure one; each weakening is warned about at startup. */
export interface KoaAuthOptions<U extends AbstractUser, TRecord extends TRPCCreateRouterOptions> {
  /** The auth object (createAuth). */
  auth: Auth<U>;
  /**
   * Host names this site answers to (Django's ALLOWED_HOSTS): any other Host header gets 400
   * before a session is read. `false` accepts every host (warned about): only behind a proxy
   * that checks Host itself.
   */
  allowedHosts: readonly string[] | false;
  /**
   * Login throttling per account and per client address (django-axes' job). Default: a
   * LoginThrottle on `auth.store` with the library's limits. Pass limits, your own instance,
   * or `false` to turn it off (warned about).
   */
  throttle?: LoginThrottle | Omit<LoginThrottleOptions, 'store'> | false;
  /**
   * Limits of the flood/oracle-prone procedures (registration, password-reset mail); see
   * createAuthRouter's `limits`. Default: the library's limits.
   */
  limits?: AuthRouterLimits;
  /**
   * Bearer tokens for the typed client outside browsers (`auth.token`, `auth.refresh`, and the
   * `Authorization: Bearer` authenticator). Default: a TokenService on `auth`; pass your own to
   * share it (e.g. with WeChat login), or `false` for cookie sessions only.
   */
  tokens?: TokenService<U> | false;
  /** Let anyone create an account through `auth.register`. Default false (warned about when true). */
  allowRegistration?: boolean;
  /** Where password-reset mail goes; without it `auth.passwordReset.request` answers 404. */
  mailer?: MailSender;
  /** The site's origin (`https://example.com`): links in mail are built from it, never from the request's Host. */
  publicUrl?: string;
  /** Page that takes the reset link's `?uid=…&token=…`. Default '/reset-password'. */
  passwordResetUrl?: string;
  /**
   * SMS verification-code login, sign-up (`allowSignUp`), phone verification and password reset
   * by phone (`auth.sms.*`). Needs a PhoneCodeBackend in `createAuth({ backends })`. Default:
   * off (the procedures answer 404).
   */
  sms?: SmsOptions;
  /** The app's own routers and procedures, served next to `auth.*` (e.g. `{ wechat: wechat.router, todo: todoRouter }`). */
  routers?: TRecord;
  /** Request authenticators, in order. Default: bearer (when tokens are on), then the session cookie. */
  authenticators?: RequestAuthenticator<U>[];
  /** Session cookie and store settings (see session()). SameSite 'none' is warned about. */
  session?: Omit<SessionOptions, 'auth'>;
  /** CSRF settings (see csrfProtection()). */
  csrf?: CsrfProtectionOptions;
  /** Settings of the typed-error handler (see authErrorHandler()). */
  errors?: AuthErrorHandlerOptions;
  /** tRPC mount: URL prefix (default '/trpc'), largest request body (default 1 MiB), most calls per batch (default 10). */
  trpc?: { prefix?: string; maxBodyBytes?: number; maxBatchSize?: number };
  /** Receives one line per weakened default at startup. Default console.warn. */
  warn?: (message: string) => void;
}
