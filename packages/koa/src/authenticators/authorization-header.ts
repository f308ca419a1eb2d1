import type { Context } from 'koa';

/**
 * The credentials part of the request's `Authorization: <scheme> <credentials>` header when its
 * scheme is `scheme` (compared case-insensitively, RFC 9110 §11.1); null when the header is
 * absent or uses another scheme. The credentials are trimmed and may be empty: callers decide
 * whether that is malformed.
 */
export function authorizationCredentials(ctx: Context, scheme: string): string | null {
  const header = ctx.get('authorization').trim();
  if (header.length === 0) return null;
  const match = /^(\S+)(?:\s+([\s\S]*))?$/.exec(header);
  if (!match || match[1]!.toLowerCase() !== scheme.toLowerCase()) return null;
  return (match[2] ?? '').trim();
}
