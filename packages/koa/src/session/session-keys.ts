/** Keys koa-auth keeps in the session (Django's SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY). */
export const SESSION_KEY = '_auth_user_id';
export const BACKEND_SESSION_KEY = '_auth_user_backend';
export const HASH_SESSION_KEY = '_auth_user_hash';
/** The CSRF secret, rotated at login. */
export const CSRF_SESSION_KEY = '_csrf';
/** When and from where the session was logged in, for the "your sessions" list. */
export const META_SESSION_KEY = '_auth_meta';
