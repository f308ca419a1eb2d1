// The wire format of `wechat.*` that loginWithWechat speaks, spelled out so the client's types
// need no server package. packages/client/test/router-contract.ts checks, at type-check time,
// that @koa-auth/wechat's router still answers exactly these shapes.

/** `login` (sign in or up with WeChat) or `bind` (link WeChat to the logged-in user). */
export type WechatLoginMode = 'login' | 'bind';

/** One of the statuses of a QR login (`scanned` is reserved: the server never learns of it). */
export type WechatLoginStatus = 'pending' | 'scanned' | 'confirmed' | 'denied' | 'expired' | 'error';

/** What `wechat.start` answers. */
export interface WechatStart {
  state: string;
  /** WeChat's QR login page for this state. */
  qrUrl: string;
  /** ISO 8601. */
  expiresAt: string;
  /** Bearer mode only: proves this client started the login (sent as a header, never in a URL). */
  browserKey?: string | undefined;
}

/** What `wechat.status` answers and `wechat.onStatus` yields. */
export interface WechatStatusView {
  status: WechatLoginStatus;
  mode?: WechatLoginMode | undefined;
  /** ISO 8601; absent for unknown states. */
  expiresAt?: string | undefined;
  reason?: { code: string; message: string; errcode?: number | undefined } | undefined;
}

/** The login to ask about: its state, and in bearer mode the key proving we started it. */
export interface WechatLoginRef {
  state: string;
  browserKey?: string | undefined;
}
