import { AuthClientError } from './auth-client-error.js';

/** The user pressed "Deny" on the phone. */
export class WechatLoginDenied extends AuthClientError {
  constructor() {
    super('wechat_denied', 'The WeChat login was denied on the phone.');
    this.name = 'WechatLoginDenied';
  }
}

/** The QR code expired before the user confirmed. Start a new login for a new code. */
export class WechatLoginExpired extends AuthClientError {
  constructor() {
    super('wechat_expired', 'The WeChat QR code expired.');
    this.name = 'WechatLoginExpired';
  }
}

/**
 * The login could not finish: the server reported an error for this login (its `reason`, e.g.
 * WeChat refused the code), or completing it failed; `cause` holds the underlying error.
 */
export class WechatLoginFailed extends AuthClientError {
  constructor(reason?: string, cause?: unknown) {
    super('wechat_failed', reason ? `The WeChat login failed: ${reason}.` : 'The WeChat login failed.', {
      ...(reason !== undefined && { reason }),
      ...(cause !== undefined && { cause }),
      ...(cause instanceof AuthClientError && { status: cause.status }),
    });
    this.name = 'WechatLoginFailed';
  }
}
