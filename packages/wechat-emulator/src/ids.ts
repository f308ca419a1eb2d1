/**
 * Identifiers. openid = f(appid, user) and unionid = f(open-platform account, user), derived
 * with HMAC so they are stable across restarts (a dev database keeps working) yet differ per
 * app, which lets tests assert "different openid, same unionid". Codes and tokens are random,
 * in the shapes observed in the wild (§3.5), which clients must treat as opaque anyway.
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `o` + 27 base64url characters, like real openids/unionids. */
function derive(seed: string, purpose: string, ...parts: string[]): string {
  const mac = createHmac('sha256', seed)
    .update([purpose, ...parts].join('\u0000'))
    .digest('base64url');
  return `o${mac.slice(0, 27)}`;
}

export function deriveOpenid(seed: string, appid: string, userKey: string): string {
  return derive(seed, 'openid', appid, userKey);
}

export function deriveUnionid(seed: string, openPlatformId: string, userKey: string): string {
  return derive(seed, 'unionid', openPlatformId, userKey);
}

/** 32 characters of `[0-9A-Za-z]`. */
export function newCode(): string {
  let code = '';
  for (let i = 0; i < 32; i++) code += ALNUM[randomInt(ALNUM.length)];
  return code;
}

/** A numeric prefix like `89_` and ~86 base64url characters. */
export function newToken(): string {
  return `89_${randomBytes(64).toString('base64url')}`;
}

/** The id of a login session (the QR page's `uuid`). */
export function newTicket(): string {
  return randomBytes(12).toString('base64url');
}

/** Request id WeChat appends to errmsg: `xxxxxxxx-xxxxxxxx-xxxxxxxx`. */
export function newRid(): string {
  const hex = randomBytes(12).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 24)}`;
}
