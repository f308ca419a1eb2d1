/**
 * A fresh secret per login flow, kept in an httpOnly cookie of its own, proving that a request
 * comes from the browser that started the flow.
 *
 * Why not the session: a session cookie can be planted (an attacker starts a login, then sets
 * that session cookie in the victim's browser); every login the victim then starts would be
 * bound to a session the attacker also holds, and the attacker could complete it. A secret
 * created by `start` and given only to the browser that called it cannot have been planted.
 *
 * One cookie per flow (named after a hash of the state), so several pending flows of one
 * browser — two tabs — never overwrite each other; at most `maxPending` are kept per kind (the
 * oldest are dropped). The value is `<created, base36>.<secret>`; only a SHA-256 of the secret
 * is stored server-side, compared in constant time.
 */
import { createHash } from 'node:crypto';
import { constantTimeEqual, randomString } from '@koa-auth/core/internal';
import type { Context } from 'koa';

const SECRET = /^[A-Za-z0-9]{43}$/;
const VALUE = /^([0-9a-z]{1,12})\.([A-Za-z0-9]{43})$/;

export interface FlowCookieOptions {
  /** Name prefix of this kind of flow's cookies, e.g. `wxqr_`. */
  prefix: string;
  /** How long the cookie lives (ms): the flow's lifetime. */
  maxAgeMs: number;
  /** Pending flows kept per browser. */
  maxPending: number;
}

/** Issue the cookie of the flow `state` and return the hash to store with it. */
export function issueFlowCookie(ctx: Context, state: string, options: FlowCookieOptions): string {
  dropOldest(ctx, options);
  const secret = randomString(43);
  ctx.cookies.set(cookieName(options.prefix, state), `${Date.now().toString(36)}.${secret}`, cookieAttributes(ctx, options.maxAgeMs));
  return digest(secret);
}

/** True when this request carries the cookie of the flow `state`, matching `hash`. */
export function hasFlowCookie(ctx: Context, state: string, hash: string, prefix: string): boolean {
  const match = VALUE.exec(ctx.cookies.get(cookieName(prefix, state)) ?? '');
  return match !== null && SECRET.test(match[2]!) && constantTimeEqual(digest(match[2]!), hash);
}

/** Remove the cookie of a finished flow. */
export function clearFlowCookie(ctx: Context, state: string, prefix: string): void {
  ctx.cookies.set(cookieName(prefix, state), '', { ...cookieAttributes(ctx, 0), maxAge: undefined, expires: new Date(0) });
}

/** The hash stored with a flow, for a secret given to a client another way (bearer mode). */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

function cookieName(prefix: string, state: string): string {
  return `${prefix}${createHash('sha256').update(state).digest('base64url').slice(0, 16)}`;
}

function cookieAttributes(ctx: Context, maxAgeMs: number) {
  // ctx.secure honours app.proxy; Secure over plain http would make `cookies` throw.
  return { httpOnly: true, sameSite: 'lax' as const, secure: ctx.secure, signed: false, overwrite: true, path: '/', maxAge: maxAgeMs };
}

/** Keep at most `maxPending - 1` of this kind's cookies, so the new one makes `maxPending`. */
function dropOldest(ctx: Context, options: FlowCookieOptions): void {
  const pending: { name: string; created: number }[] = [];
  for (const part of (ctx.get('cookie') || '').split(';')) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    if (eq < 0 || !name.startsWith(options.prefix)) continue;
    const match = VALUE.exec(part.slice(eq + 1).trim());
    pending.push({ name, created: match ? parseInt(match[1]!, 36) : 0 });
  }
  pending.sort((a, b) => a.created - b.created);
  for (const { name } of pending.slice(0, Math.max(0, pending.length - (options.maxPending - 1)))) {
    ctx.cookies.set(name, '', { ...cookieAttributes(ctx, 0), maxAge: undefined, expires: new Date(0) });
  }
}
