import type { WechatUserInfo } from '../client/index.js';

/** Who WeChat says the user is, after a code exchange (and `/sns/userinfo` when allowed). */
export interface WechatIdentity {
  appid: string;
  openid: string;
  /** From the userinfo answer or the token answer; null when WeChat sent none. */
  unionid: string | null;
  /** The profile; null for `snsapi_base` logins, whose token cannot read it. */
  info: WechatUserInfo | null;
}

/** Scopes whose token may read `/sns/userinfo`; an `snsapi_base` token gets errcode 48001. */
const USERINFO_SCOPES = new Set(['snsapi_login', 'snsapi_userinfo']);

/** Whether a granted scope list (comma-separated) lets the token read `/sns/userinfo`. */
export function scopeAllowsUserInfo(scope: string): boolean {
  return scope.split(',').some((s) => USERINFO_SCOPES.has(s.trim()));
}
