// The public API of @koa-auth/wechat: what an app calls — createWechat (the all-in-one set-up),
// the backend, the profile model and its migrations, the QR and Official Account flows, the
// API client and its errors. Re-exports only. (No sibling package needs plumbing from here, so
// there is no /internal entry.)
// test/packaging/surface.test.ts pins the runtime names below: growing this list is deliberate.

// WeChat API client and its errors.
export { WechatClient } from './client/index.js';
export type {
  AuthorizeUrlOptions,
  FetchLike,
  OfficialAccountScope,
  QrConnectUrlOptions,
  WebsiteScope,
  WechatAccessToken,
  WechatClientOptions,
  WechatLang,
  WechatUserInfo,
} from './client/index.js';
export { WechatApiError, type WechatApiErrorInit, type WechatErrorCode } from './errors.js';

// Profile model and migrations.
export { WechatProfile } from './model/wechat-profile.js';
export { wechatMigrations } from './migrations/wechat-migrations.js';

// Authentication backend; the login notes let a custom flow bind, restrict and explain a login.
export { WechatBackend, type WechatBackendOptions } from './backend/wechat-backend.js';
export type { WechatApp, WechatAppConfig, WechatAppKind, WechatAppsOptions } from './backend/wechat-apps.js';
export type { WechatCredentials } from './backend/wechat-credentials.js';
export {
  bindWechatLoginTo,
  wechatLoginExistingOnly,
  wechatRefusalOf,
  wechatProfileIdOf,
  type WechatRefusal,
  type WechatRefusalCode,
} from './backend/wechat-login-context.js';
export type { WechatIdentity } from './backend/wechat-identity.js';

// QR-code login (website app).
export { QrLogin, type QrLoginOptions } from './qr-login/qr-login.js';
export type { QrCallbackInput, QrCallbackResult } from './qr-login/qr-callback.js';
export type { QrOutcome } from './qr-login/qr-records.js';
export type {
  QrCompleteResult,
  QrLoginMode,
  QrLoginReason,
  QrLoginStatus,
  QrStartOptions,
  QrStartResult,
  QrStatusView,
} from './qr-login/qr-types.js';
export { QrLoginNotReady } from './qr-login/qr-errors.js';

// Official Account web authorization.
export { OaLogin, type OaLoginOptions, type OaStartInput, type OaStartResult } from './oa-login/oa-login.js';
export type { OaMode } from './oa-login/oa-records.js';

// Mini Program login (wx.login) and phone binding.
export { MiniProgram, type MiniProgramOptions, type MiniProgramLoginResult } from './mini-program/mini-program.js';
export { MiniProgramClient, type MiniProgramClientOptions } from './client/mini-program-client.js';
export type { Code2Session, StableToken, WechatPhoneInfo } from './client/mini-program-schemas.js';
export {
  MiniProgramCodeRejected,
  MiniProgramLoginRefused,
  WechatRetryLater,
  WechatUpstreamError,
  type MiniProgramCodeIssue,
} from './mini-program/mini-program-errors.js';
export type { AppAccessTokensOptions } from './mini-program/app-access-tokens.js';
export type { MiniProgramSessionKeysOptions } from './mini-program/session-keys.js';

// Listing and unlinking accounts.
export { WechatBinding, type UnbindTarget } from './binding/wechat-binding.js';
export type { WechatProfileView } from './binding/profile-view.js';

// tRPC procedures, Koa routes and the all-in-one set-up.
export { createWechatRouter, type WechatRouter, type WechatRouterOptions } from './trpc/wechat-router.js';
export { wechatRoutes, type WechatRoutesOptions } from './routes/wechat-routes.js';
export { createWechat, type CreateWechatOptions, type Wechat } from './routes/create-wechat.js';
