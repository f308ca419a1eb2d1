// Keys koa-auth keeps in the session (Django's SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY).
// No leading underscore: koa-session drops such keys when it serialises a session.
/** The logged-in user's id. */
export const SESSION_KEY = 'authUserId';
/** The name of the backend that authenticated the user; it loads them on every request. */
export const BACKEND_SESSION_KEY = 'authBackend';
/** The session auth hash: a password change elsewhere makes it stale and ends the session. */
export const HASH_SESSION_KEY = 'authHash';
/** The CSRF secret, rotated at login. */
export const CSRF_SESSION_KEY = 'csrfSecret';
/** When and from where the session was logged in, for the "your sessions" list. */
export const META_SESSION_KEY = 'authMeta';
/** The browser's secret binding of SMS codes (sms/sms-binding.ts). */
export const SMS_BINDING_SESSION_KEY = 'smsBinding';
