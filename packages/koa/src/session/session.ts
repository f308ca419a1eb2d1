import { createHmac, randomBytes } from 'node:crypto';
import type { AbstractUser, Auth, KeyValueStore } from '@koa-auth/core';
import { ImproperlyConfigured } from '@koa-auth/core';
import type { Context, Middleware, Next } from 'koa';
import koaSession from 'koa-session';
import { SessionStore } from './session-store.js';

export interface SessionOptions {
  /** The auth object (any user model): its store and secret are the defaults below. */
  auth: Pick<Auth<AbstractUser>, 'store' | 'secrets'>;
  /** Where sessions live. Default: auth.store (memory by default, Redis in production). */
  store?: KeyValueStore;
  /** Cookie name. Default 'sessionid'. */
  key?: string;
  /** Lifetime in ms. Default two weeks (Django's SESSION_COOKIE_AGE). */
  maxAge?: number;
  /** Extend the lifetime on every request. Default false; `renew` (extend in the last half) is on. */
  rolling?: boolean;
  /** SameSite attribute. Default 'lax'. */
  sameSite?: 'lax' | 'strict' | 'none';
  /** Force the Secure attribute. Default: Secure exactly when the request is HTTPS (honouring app.proxy). */
  secure?: boolean;
  /** Cookie domain, for sites spanning subdomains. */
  domain?: string;
  /** Prefix of session keys in the store. Default 'sess:'. */
  prefix?: string;
}

const SESSION_STORE = Symbol.for('koa-auth.session-store');
const TWO_WEEKS = 14 * 24 * 60 * 60 * 1000;

/**
 * Server-side sessions for Koa: koa-session with every session in a core KeyValueStore, so each
 * one can be revoked (cookie-only sessions are deliberately not offered). Cookies are httpOnly,
 * signed, SameSite=Lax and Secure over HTTPS. When the app has no `keys`, signing keys are
 * derived from the auth secret and its fallbacks (see cookieSigningKeys).
 */
export function session(options: SessionOptions): Middleware {
  const store = new SessionStore(options.store ?? options.auth.store, options.prefix);
  let inner: Middleware | undefined;

  return function sessionMiddleware(ctx: Context, next: Next) {
    // koa-session needs the app; it only extends app.context, which every ctx inherits from,
    // so installing it on the first request is equivalent to installing it at startup.
    inner ??= install(ctx, options, store);
    return inner(ctx, next);
  };
}

function install(ctx: Context, options: SessionOptions, store: SessionStore): Middleware {
  const app = ctx.app;
  const keys = app.keys as unknown as string[] | undefined;
  if (!keys || keys.length === 0) {
    const { secrets } = options.auth;
    if (secrets.length === 0) throw new ImproperlyConfigured('session() needs app.keys or an auth secret.');
    app.keys = cookieSigningKeys(secrets);
  }
  (app.context as unknown as Record<symbol, SessionStore>)[SESSION_STORE] = store;
  const key = options.key ?? 'sessionid';
  const maxAge = options.maxAge ?? TWO_WEEKS;
  const cookie = {
    httpOnly: true,
    signed: true,
    sameSite: options.sameSite ?? 'lax',
    // undefined lets the cookies module set Secure exactly on HTTPS requests.
    secure: options.secure,
    domain: options.domain,
    path: '/',
    overwrite: true,
  } as const;
  return koaSession(
    {
      key,
      maxAge,
      ...cookie,
      rolling: options.rolling ?? false,
      renew: true,
      overwrite: true,
      autoCommit: true,
      genid: () => randomBytes(32).toString('base64url'),
      // We read and write the id cookie ourselves so the current session id is known to
      // login/logout and to the "your sessions" list (koa-session keeps it private).
      externalKey: {
        get(ctx: Context) {
          const id = ctx.cookies.get(key, { signed: true });
          setCurrentId(ctx, id);
          return id;
        },
        set(ctx: Context, id: string) {
          setCurrentId(ctx, id);
          ctx.cookies.set(key, id, { ...cookie, maxAge });
        },
      },
      store: {
        get: (key: string) => store.get(key),
        set: (key: string, sess: Record<string, unknown>, maxAge: number | 'session' | undefined) => store.set(key, sess, maxAge),
        destroy: (key: string) => store.destroy(key),
      },
    } as Parameters<typeof koaSession>[0],
    app,
  );
}

/**
 * One cookie-signing key per secret, the current secret's first (Django signs cookies with
 * SECRET_KEY and verifies with SECRET_KEY_FALLBACKS too): Keygrip signs with the first key and
 * verifies against each in order, one HMAC per key tried, and the cookies module re-signs a
 * cookie that only a fallback key verified.
 */
export function cookieSigningKeys(secrets: readonly string[]): string[] {
  return secrets.map((secret) => createHmac('sha256', secret).update('koa-auth.cookie-signing').digest('base64url'));
}

/** The session store installed by `session()`; throws ImproperlyConfigured when the session middleware is missing. */
export function sessionStoreOf(ctx: Context): SessionStore {
  const store = (ctx as unknown as Record<symbol, SessionStore | undefined>)[SESSION_STORE];
  if (!store) throw new ImproperlyConfigured('The koa-auth session middleware is missing: add app.use(session({ auth })) before authMiddleware.');
  return store;
}

const CURRENT_ID = Symbol('koa-auth.session-id');

function setCurrentId(ctx: Context, id: string | undefined): void {
  (ctx as unknown as Record<symbol, string | undefined>)[CURRENT_ID] = id;
}

/** The current session's id (its store key), or undefined while the request has no stored session yet. A secret: never log it. */
export function sessionIdOf(ctx: Context): string | undefined {
  return (ctx as unknown as Record<symbol, string | undefined>)[CURRENT_ID];
}

/**
 * koa-session's session object as koa-auth reads and writes it: the session's values by key,
 * plus the methods koa-auth calls. `isNew` is true when the store had nothing for the cookie.
 */
export type SessionData = Record<string, unknown> & {
  readonly isNew?: boolean;
  /** Moves the data to a new id (and cookie), ending the old id: what login does against fixation. */
  regenerate(): Promise<void>;
  /** The stored values, without koa-session's own fields. */
  toJSON(): Record<string, unknown>;
};

/**
 * The request's session (`ctx.session` of the session middleware), or null when there is none:
 * the session middleware did not run, or the session was ended in this request
 * (`ctx.session = null`). The one way koa-auth reads the session object; to end a session, set
 * `ctx.session = null` (logout does).
 */
export function sessionOf(ctx: Context): SessionData | null {
  const value: unknown = (ctx as { session?: unknown }).session;
  return typeof value === 'object' && value !== null ? (value as SessionData) : null;
}
