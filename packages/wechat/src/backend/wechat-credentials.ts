import { z } from 'zod';

/**
 * What WechatBackend authenticates: an authorization code from WeChat's callback, and the app
 * it was issued to (default: the first configured app). The code is single-use and is never
 * logged: core masks any credential key containing "code" in its events.
 */
export interface WechatCredentials {
  wechatCode: string;
  appid?: string;
}

/**
 * The one shape rule for a code WeChat issued (an OAuth callback's `code`, `wx.login()`'s, a
 * `getPhoneNumber` code): 1–512 printable ASCII characters. Real codes are 32 URL-safe
 * characters; the bound refuses absurd input, and the character rule refuses text that cannot
 * travel in a query string (a lone UTF-16 surrogate has no UTF-8 form) before any call is made.
 */
export const wechatCodeSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII, as WeChat codes are');

/** An appid as an app names it: 1–64 printable ASCII characters (real ones are `wx` + 16 hex). */
export const wechatAppidSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII, as appids are');

const credentialsSchema = z.object({ wechatCode: wechatCodeSchema, appid: wechatAppidSchema.optional() });

/** True for `{ wechatCode, appid? }` shaped as wechatCodeSchema and wechatAppidSchema say; extra keys allowed. */
export function isWechatCredentials(value: unknown): value is WechatCredentials {
  return credentialsSchema.safeParse(value).success;
}
