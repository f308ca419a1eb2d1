// The public API of @koa-auth/client: createAuthClient, token storages (browser, memory, Mini
// Program), the wx.request fetch adapter, the client's errors and their type guards. Re-exports
// only; the client imports the server packages' types only.
// test/packaging/surface.test.ts pins the runtime names below: growing this list is deliberate.
export {
  createAuthClient,
  type AuthClient,
  type AuthClientHelpers,
  type AuthClientWechatHelpers,
  type AuthClientMiniProgramHelpers,
  type AuthClientAllHelpers,
} from './create-auth-client.js';
export type { AuthClientOptions, AuthMode } from './client-options.js';
export type { HeadersProvider } from './request-headers.js';
export type { AuthUser, LoginInput, AuthInput, AuthOutput, HasWechat } from './app-router.js';

export { memoryTokenStorage, type TokenStorage } from './tokens/token-storage.js';
export { localStorageTokenStorage, type WebStorageLike } from './tokens/local-storage-token-storage.js';
export { wxStorageTokenStorage, type WxStorageLike } from './tokens/wx-storage-token-storage.js';
export type { TokenPair, TokenPairLike } from './tokens/token-pair.js';

export {
  AuthClientError,
  AuthClientAbortError,
  type AuthClientErrorCode,
  type AuthClientErrorOptions,
  type FieldErrors,
  type FieldIssue,
} from './errors/auth-client-error.js';
export { toAuthClientError } from './errors/to-auth-client-error.js';
export {
  isValidationError,
  isUnauthorized,
  isForbidden,
  isThrottled,
  isNetworkError,
  isAbortError,
  isFieldError,
  fieldIssues,
  fieldError,
  type AuthClientErrorOf,
} from './errors/error-guards.js';
export { WechatLoginDenied, WechatLoginExpired, WechatLoginFailed, type WechatLoginReason } from './errors/wechat-errors.js';

export type { WechatLoginOptions, WechatQrCode } from './wechat/login-with-wechat.js';
export type { MiniProgramLoginAnswer, MiniProgramLoginOptions } from './wechat/mini-program-login.js';
export { wxRequestFetch, type WxRequest, type WxRequestOptions } from './wechat/wx-request-fetch.js';
export type { WechatLoginMode, WechatLoginStatus, WechatStatusView, WechatStart, WechatLoginRef } from './wechat/wechat-types.js';
