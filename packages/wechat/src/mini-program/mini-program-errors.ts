/**
 * The typed errors of the Mini Program flows, and the one mapping from WeChat's answers to them.
 * None carries a code, token, secret or session_key; WeChat's errcode is kept where it helps.
 *
 * | WeChat says | error | HTTP |
 * |---|---|---|
 * | 40029, 40163 (code invalid or used), 40003 (phone code of another user), watermark of another app | `MiniProgramCodeRejected` (field `code`) | 400 |
 * | 40226 (high-risk user) | `MiniProgramLoginRefused` | 403 |
 * | 45011, -1 (after one retry), a timeout or network failure, the force-refresh limit | `WechatRetryLater` | 503 |
 * | anything else (40013, 40125, 41xxx, a malformed answer, …) | `WechatUpstreamError` with `errcode` | 502 |
 */
import { AuthError, PermissionDenied, ServiceUnavailable, ValidationError } from '@koa-auth/core';
import { WechatApiError } from '../errors.js';

/** Why a code was refused: `code_invalid` (unknown, expired, another app's or user's) or `code_used`. */
export type MiniProgramCodeIssue = 'code_invalid' | 'code_used';

/** The `wx.login()` or phone-number code cannot be used (400, field `code`): get a new one and try again. */
export class MiniProgramCodeRejected extends ValidationError {
  constructor(issue: MiniProgramCodeIssue) {
    super({
      code: [
        issue === 'code_used'
          ? { code: 'code_used', message: 'This WeChat code has already been used; get a new one and try again.' }
          : { code: 'code_invalid', message: 'This WeChat code is invalid or expired; get a new one and try again.' },
      ],
    });
    this.name = 'MiniProgramCodeRejected';
  }
}

/** WeChat refused to log this user in (40226, a high-risk account): 403. */
export class MiniProgramLoginRefused extends PermissionDenied {
  constructor() {
    super('WeChat refused this login (the account is restricted). Try again later or use another way to log in.');
    this.name = 'MiniProgramLoginRefused';
  }
}

/** WeChat is busy, rate-limiting or unreachable (503): the same request may succeed later. */
export class WechatRetryLater extends ServiceUnavailable {
  /** WeChat's errcode (45011, -1, …), or null for a timeout, a network failure or our own limit. */
  readonly errcode: number | null;
  constructor(errcode: number | null, message = 'WeChat is busy; try again in a minute.') {
    super('WeChat API', message);
    this.name = 'WechatRetryLater';
    this.errcode = errcode;
  }
}

/** WeChat answered with an error the app cannot fix by retrying (502): usually configuration (appid, secret). */
export class WechatUpstreamError extends AuthError {
  /** WeChat's errcode, or null for an answer that was not the expected JSON. */
  readonly errcode: number | null;
  constructor(errcode: number | null) {
    super('wechat_upstream_error', errcode === null ? 'WeChat sent an unexpected answer.' : `WeChat answered with errcode ${errcode}.`);
    this.name = 'WechatUpstreamError';
    this.errcode = errcode;
  }
}

const RETRY_LATER = new Set([-1, 45011, 45009]);

/**
 * The typed error for a failure of a Mini Program API call: a WechatApiError becomes one of the
 * errors above (see the table); anything else is returned unchanged.
 */
export function miniProgramErrorOf(error: unknown): unknown {
  if (!(error instanceof WechatApiError)) return error;
  if (error.code === 'wechat_timeout' || error.code === 'wechat_network_error')
    return new WechatRetryLater(null, 'WeChat could not be reached; try again shortly.');
  if (error.errcode === 40029 || error.errcode === 40003) return new MiniProgramCodeRejected('code_invalid');
  if (error.errcode === 40163) return new MiniProgramCodeRejected('code_used');
  if (error.errcode === 40226) return new MiniProgramLoginRefused();
  if (error.errcode !== null && RETRY_LATER.has(error.errcode)) return new WechatRetryLater(error.errcode);
  return new WechatUpstreamError(error.errcode);
}

/** Whether WeChat refused the app access token: 40001 (invalid or not the latest) or 42001 (expired). */
export function isAccessTokenRejected(error: unknown): boolean {
  return error instanceof WechatApiError && (error.errcode === 40001 || error.errcode === 42001);
}
