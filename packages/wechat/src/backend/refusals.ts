/**
 * Why WechatBackend refused a login, kept beside the request object.
 *
 * core's `authenticate()` turns a refusal into `null` (and a backend's PermissionDenied into
 * `null` as well), which is right for the backend chain but leaves a login flow unable to tell
 * the user *why*. The backend records the reason here, keyed by the AuthRequest it was given,
 * and the flows read it back. Reasons are fixed texts: never a code, token or WeChat errmsg.
 */
import type { AuthRequest } from '@koa-auth/core';

export type WechatRefusalCode = 'snapshot_user' | 'inactive_user' | 'unknown_app';

export interface WechatRefusal {
  code: WechatRefusalCode;
  message: string;
}

export const REFUSALS: Record<WechatRefusalCode, WechatRefusal> = {
  snapshot_user: {
    code: 'snapshot_user',
    message: 'WeChat opened this page in snapshot (preview) mode, which does not identify you. Open the page in WeChat and allow the authorization.',
  },
  inactive_user: { code: 'inactive_user', message: 'This account is disabled.' },
  unknown_app: { code: 'unknown_app', message: 'This WeChat app is not configured on this site.' },
};

const refusals = new WeakMap<AuthRequest, WechatRefusal>();

/** Record why the login of `request` was refused (no-op without a request object). */
export function recordRefusal(request: AuthRequest | null, code: WechatRefusalCode): void {
  if (request) refusals.set(request, REFUSALS[code]);
}

/** Why WechatBackend refused to authenticate `request`, if it did. */
export function wechatRefusalOf(request: AuthRequest): WechatRefusal | undefined {
  return refusals.get(request);
}
