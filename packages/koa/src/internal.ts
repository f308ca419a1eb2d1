/**
 * @koa-auth/koa/internal — plumbing that koa-auth's own packages (@koa-auth/wechat,
 * @koa-auth/cli), its demo, bench and tests share. NOT part of the public API and NOT covered by
 * semver: any of these names may change or disappear in a minor or patch release. Apps import
 * from `@koa-auth/koa` (and `@koa-auth/koa/testing` in tests) instead. Re-exports only.
 */

// Request state: the auth state of a request, its AuthRequest, its user.
export { authStateOf } from './middleware/auth-state.js';
export { authRequestOf } from './login/auth-request.js';
export { authRequestWithoutUser } from './login/auth-request.js';
export { authErrorStatus } from './http/error-status.js';
export { loginCredentials } from './login/login-credentials.js';

// Sessions: the store and the keys of a logged-in session.
export { SessionStore } from './session/session-store.js';
export { sessionOf, type SessionData } from './session/session.js';
export { SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY, META_SESSION_KEY } from './session/session-keys.js';

// CSRF.
export { verifyCsrf } from './csrf/csrf-protection.js';
export { rotateCsrfToken } from './csrf/csrf-token.js';

// SMS codes: the router koaAuth mounts, the browser binding, the send limits.
export { createSmsRouter } from './sms/sms-router.js';
export { smsBinding } from './sms/sms-binding.js';
export { SmsSendThrottle, type SmsSendLimits, type SmsSendReservation } from './throttle/sms-send-throttle.js';
export { SMS_BINDING_SESSION_KEY } from './session/session-keys.js';
