import { AuthClientError } from './auth-client-error.js';

/** Why the server says a WeChat login did not succeed (`QrLoginReason`): a stable code and a message for people. */
export interface WechatLoginReason {
  code: string;
  message: string;
}

/** The user cancelled on the phone, or the server refused the account (`reason.code` says which). */
export class WechatLoginDenied extends AuthClientError {
  constructor(reason?: WechatLoginReason) {
    super('wechat_denied', reason?.message ?? 'The WeChat login was denied.', reason ? { reason: reason.code } : {});
    this.name = 'WechatLoginDenied';
  }
}

/** The QR code expired before the user confirmed. Start a new login for a new code. */
export class WechatLoginExpired extends AuthClientError {
  constructor() {
    super('wechat_expired', 'The WeChat QR code expired. Please start again.');
    this.name = 'WechatLoginExpired';
  }
}

/**
 * The login could not finish: WeChat or the server failed (`reason` from the server's status),
 * or a call of the flow failed (`cause`, an AuthClientError, e.g. `forbidden` when the login was
 * started by another browser, or `network`).
 */
export class WechatLoginFailed extends AuthClientError {
  constructor(reason?: WechatLoginReason, cause?: AuthClientError) {
    super('wechat_failed', reason?.message ?? cause?.message ?? 'The WeChat login failed.', {
      ...(reason ? { reason: reason.code } : cause?.reason !== undefined ? { reason: cause.reason } : {}),
      ...(cause ? { cause, status: cause.status } : {}),
    });
    this.name = 'WechatLoginFailed';
  }
}
