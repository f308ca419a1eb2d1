// The public API of @koa-auth/koa. Re-exports only.
export { AuthenticationFailed, NotAuthenticated, Forbidden, Throttled, CsrfFailed, DisallowedHost, OneCredentialCheckPerRequest } from './errors.js';
export { allowedHosts, type AllowedHostsOptions } from './hosts/allowed-hosts.js';

export { session, sessionOf, sessionStoreOf, sessionIdOf, type SessionOptions, type SessionData } from './session/session.js';
export { SessionStore } from './session/session-store.js';
export { SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY, CSRF_SESSION_KEY, META_SESSION_KEY } from './session/session-keys.js';

export { authMiddleware, type AuthMiddlewareOptions } from './middleware/auth.js';
export { remoteUserMiddleware, persistentRemoteUserMiddleware, type RemoteUserOptions } from './middleware/remote-user.js';
export { AuthState, authStateOf, type AuthConfig, type CredentialRevoker } from './middleware/auth-state.js';

export type { Authenticated, RequestAuthenticator } from './authenticators/request-authenticator.js';
export { sessionAuthenticator } from './authenticators/session-authenticator.js';
export { bearerAuthenticator } from './authenticators/bearer-authenticator.js';
export { basicAuthenticator, type BasicAuthenticatorOptions } from './authenticators/basic-authenticator.js';

export { login } from './login/login.js';
export { logout } from './login/logout.js';
export { updateSessionAuthHash } from './login/update-session-auth-hash.js';
export { endUserSessions, type EndUserSessionsOptions } from './login/end-user-sessions.js';
export { listUserSessions, revokeUserSession, type SessionInfo } from './login/user-sessions.js';
export { authRequestOf } from './login/auth-request.js';
export { passwordResetLinkUser } from '@koa-auth/core';

export { loginRequired } from './guards/login-required.js';
export { permissionRequired } from './guards/permission-required.js';
export { userPassesTest, type UserTest } from './guards/user-passes-test.js';
export type { GuardOptions } from './guards/guard-options.js';
export { authErrorHandler, type AuthErrorHandlerOptions, type AuthErrorBody } from './guards/error-handler.js';
export { authErrorStatus } from './http/error-status.js';
export { isSafeRedirect, safeRedirectPath, type SafeRedirectOptions } from './redirect/safe-redirect.js';

export { csrfProtection, verifyCsrf, type CsrfProtectionOptions } from './csrf/csrf-protection.js';
export { ensureCsrfToken, rotateCsrfToken, csrfSecret } from './csrf/csrf-token.js';

export { LoginThrottle, type LoginThrottleOptions, type LoginAttempt, type ThrottleLimit } from './throttle/login-throttle.js';
export { ActionThrottle, type ActionThrottleOptions, type ActionThrottleLimits } from './throttle/action-throttle.js';
export { claimCredentialCheck } from './throttle/credential-check.js';
export { canonicalAccount } from './throttle/canonical-account.js';
export { loginAccount } from './throttle/login-account.js';

export { TokenService } from './jwt/token-service.js';
export type { TokenServiceOptions } from './jwt/token-service-options.js';
export type { TokenPair, VerifiedAccess, AuthenticatedAccess, TokenFamilyInfo, IssueMeta } from './jwt/token-pair.js';

// Moved to @koa-auth/core (beside the password-reset flow); re-exported so imports from here keep working.
export { ConsoleMailSender, MemoryMailSender, type MailSender, type MailMessage } from '@koa-auth/core';

export { t, router, mergeRouters, publicProcedure } from './trpc/trpc.js';
export { protectedProcedure, permissionProcedure, credentialProcedure, oneCredentialCheck } from './trpc/procedures.js';
export { throttledAction, type ThrottledActionOptions } from './trpc/throttled-action.js';
export { createContext, type AuthTrpcContext } from './trpc/context.js';
export { koaTrpc, DEFAULT_MAX_BATCH_SIZE, type KoaTrpcOptions } from './trpc/koa-trpc.js';
export { createAuthRouter, type AuthRouter, type AuthRouterOptions } from './trpc/auth-router.js';
export type { AuthRouterLimits } from './trpc/auth-throttles.js';
export { publicUser, type PublicUser } from './trpc/public-user.js';
export { loginCredentials } from './login/login-credentials.js';

export { koaAuth, type KoaAuthStack, type KoaAuthRouter } from './stack/koa-auth.js';
export type { KoaAuthOptions } from './stack/koa-auth-options.js';

export type { KoaAuthTypes, AppUser } from './types/koa-state.js';

export type { SmsOptions } from './sms/sms-options.js';
export { createSmsRouter } from './sms/sms-router.js';
export { smsBinding } from './sms/sms-binding.js';
export { SmsSendThrottle, type SmsSendLimits, type SmsSendReservation } from './throttle/sms-send-throttle.js';
export { SMS_BINDING_SESSION_KEY } from './session/session-keys.js';
