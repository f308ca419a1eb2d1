// The public API of @koa-auth/koa: what an app calls — the koaAuth() stack and its parts,
// login/logout, the guards, tokens, throttling and the tRPC building blocks. Re-exports only.
// Plumbing shared with the sibling packages lives in ./internal.ts (`@koa-auth/koa/internal`),
// test helpers in ./testing.ts (`@koa-auth/koa/testing`).
// test/packaging/surface.test.ts pins the runtime names below: growing this list is deliberate.

// The standard stack, in one call.
export { koaAuth, type KoaAuthStack, type KoaAuthRouter } from './stack/koa-auth.js';
export type { KoaAuthOptions } from './stack/koa-auth-options.js';
export type { KoaAuthTypes, AppUser } from './types/koa-state.js';

// Errors (answered by authErrorHandler).
export { AuthenticationFailed, NotAuthenticated, Forbidden, Throttled, CsrfFailed, DisallowedHost } from './errors.js';

// The stack's parts, for custom stacks.
export { authErrorHandler, type AuthErrorHandlerOptions, type AuthErrorBody } from './guards/error-handler.js';
export { allowedHosts, type AllowedHostsOptions } from './hosts/allowed-hosts.js';
export { session, type SessionOptions } from './session/session.js';
export { authMiddleware, type AuthMiddlewareOptions } from './middleware/auth.js';
export type { CredentialRevoker } from './middleware/auth-state.js';
export type { Authenticated, RequestAuthenticator } from './authenticators/request-authenticator.js';
export { sessionAuthenticator } from './authenticators/session-authenticator.js';
export { bearerAuthenticator } from './authenticators/bearer-authenticator.js';
export { basicAuthenticator, type BasicAuthenticatorOptions } from './authenticators/basic-authenticator.js';
export { remoteUserMiddleware, persistentRemoteUserMiddleware, type RemoteUserOptions } from './middleware/remote-user.js';
export { csrfProtection, type CsrfProtectionOptions } from './csrf/csrf-protection.js';
export { ensureCsrfToken } from './csrf/csrf-token.js';

// Logging in and out.
export { login } from './login/login.js';
export { logout } from './login/logout.js';
export { updateSessionAuthHash } from './login/update-session-auth-hash.js';
export { endUserSessions, type EndUserSessionsOptions } from './login/end-user-sessions.js';

// Guards.
export { loginRequired } from './guards/login-required.js';
export { permissionRequired } from './guards/permission-required.js';
export { userPassesTest, type UserTest } from './guards/user-passes-test.js';
export type { GuardOptions } from './guards/guard-options.js';
export { safeRedirectPath } from './redirect/safe-redirect.js';

// Throttling (one credential check per request: build every procedure or route that checks a
// secret on credentialProcedure / claimCredentialCheck) and bearer tokens.
export { claimCredentialCheck } from './throttle/credential-check.js';
export { LoginThrottle, type LoginThrottleOptions, type LoginAttempt, type ThrottleLimit } from './throttle/login-throttle.js';
export { TokenService } from './jwt/token-service.js';
export type { TokenServiceOptions } from './jwt/token-service-options.js';
export type { TokenPair, VerifiedAccess, AuthenticatedAccess, TokenFamilyInfo, IssueMeta } from './jwt/token-pair.js';

// tRPC.
export { router, publicProcedure } from './trpc/trpc.js';
export { protectedProcedure, permissionProcedure, credentialProcedure } from './trpc/procedures.js';
export { throttledAction, type ThrottledActionOptions } from './trpc/throttled-action.js';
export type { ActionThrottleLimits } from './throttle/action-throttle.js';
export type { AuthTrpcContext } from './trpc/context.js';
export { koaTrpc, type KoaTrpcOptions } from './trpc/koa-trpc.js';
export { createAuthRouter, type AuthRouter, type AuthRouterOptions } from './trpc/auth-router.js';
export type { AuthRouterLimits } from './trpc/auth-throttles.js';
export { publicUser, type PublicUser } from './trpc/public-user.js';
export type { SmsOptions } from './sms/sms-options.js';
