/**
 * Turning what happened at the callback into a stored outcome. WeChat failures keep only the
 * error code and WeChat's errcode — never the errmsg, URL or anything the request carried.
 */
import { AuthError } from '@koa-auth/core';
import { isSpentCodeError, WechatApiError } from '../errors.js';
import type { QrOutcome } from './qr-records.js';
import type { QrLoginReason } from './qr-types.js';

export const CANCELLED: QrLoginReason = { code: 'cancelled', message: 'The WeChat login was cancelled.' };
export const LOGIN_REFUSED: QrLoginReason = { code: 'login_refused', message: 'WeChat login was refused for this account.' };
export const ALREADY_BOUND: QrLoginReason = {
  code: 'wechat_already_bound',
  message: 'This WeChat account is already linked to another user. Unlink it there first.',
};
export const BIND_USER_GONE: QrLoginReason = { code: 'bind_user_unavailable', message: 'The account to link WeChat to is no longer available.' };

/** Reason code of a login whose code WeChat called expired, used or unknown: start again. */
export const SPENT_CODE_REASON = 'code_expired';

const INTERNAL: QrLoginReason = { code: 'internal_error', message: 'Something went wrong while logging in with WeChat. Please try again.' };

/** The outcome of a login refused for `reason` (cancelled on the phone, refused account, …). */
export function denied(reason: QrLoginReason): QrOutcome {
  return { status: 'denied', reason };
}

/** The outcome of an error thrown while authenticating; `report` hears about unexpected ones. */
export function failed(error: unknown, report: (error: unknown) => void): QrOutcome {
  if (error instanceof WechatApiError) return { status: 'error', reason: wechatReason(error) };
  if (error instanceof AuthError) return { status: 'error', reason: { code: error.code, message: error.message } };
  report(error);
  return { status: 'error', reason: INTERNAL };
}

function wechatReason(error: WechatApiError): QrLoginReason {
  if (isSpentCodeError(error)) {
    return { code: SPENT_CODE_REASON, message: 'The login link expired. Please start again.', ...(error.errcode !== null ? { errcode: error.errcode } : {}) };
  }
  switch (error.code) {
    case 'wechat_api_error':
      return {
        code: error.code,
        message: `WeChat refused the login (errcode ${error.errcode}). Please start again.`,
        ...(error.errcode !== null ? { errcode: error.errcode } : {}),
      };
    case 'wechat_timeout':
      return { code: error.code, message: 'WeChat did not answer in time. Please start again.' };
    default:
      return { code: error.code, message: 'WeChat could not be reached. Please start again.' };
  }
}
