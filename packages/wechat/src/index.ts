// The public API of @koa-auth/wechat. Re-exports only.

// WeChat API client and its errors.
export { WechatClient, accessTokenSchema, userInfoSchema } from './client/index.js';
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
export { WechatApiError, isSpentCodeError, redact, type WechatApiErrorInit, type WechatErrorCode } from './errors.js';

// Local emulator of WeChat's side (tests, demos).
export { createWechatEmulator, PhoneActionError, DEFAULT_APPS, DEFAULT_USERS, parseUsers, loadUsersFile } from './emulator/index.js';
export type {
  ApiEndpoint,
  AppKind,
  CallbackOutcome,
  EmulatorApp,
  EmulatorAppInput,
  EmulatorClock,
  EmulatorKnobs,
  EmulatorUser,
  FaultKind,
  IssueCodeInput,
  KnobController,
  KnobsPatch,
  PhoneAction,
  PhoneActionInput,
  PhoneActionResult,
  RunningEmulator,
  SessionStatus,
  WechatEmulator,
  WechatEmulatorOptions,
} from './emulator/index.js';

// Profile model and migrations.
export { WechatProfile } from './model/wechat-profile.js';
export { wechatMigrations } from './migrations/wechat-migrations.js';

// Authentication backend.
export { WechatBackend, type WechatBackendOptions } from './backend/wechat-backend.js';
export { WechatApps, type WechatApp, type WechatAppConfig, type WechatAppKind, type WechatAppsOptions } from './backend/wechat-apps.js';
export { isWechatCredentials, type WechatCredentials } from './backend/wechat-credentials.js';
export {
  bindWechatLoginTo,
  wechatLoginExistingOnly,
  wechatRefusalOf,
  wechatProfileIdOf,
  type WechatRefusal,
  type WechatRefusalCode,
} from './backend/wechat-login-context.js';
export { resolveWechatUser, type ResolvedWechatUser, type ResolveWechatUserOptions } from './backend/resolve-user.js';
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
export { OaLogin, OA_COOKIE_PREFIX, OA_RETURNING_COOKIE, type OaLoginOptions, type OaStartInput, type OaStartResult } from './oa-login/oa-login.js';
export type { OaMode } from './oa-login/oa-records.js';

// Listing and unlinking accounts.
export { WechatBinding, type UnbindTarget } from './binding/wechat-binding.js';
export type { WechatProfileView } from './binding/profile-view.js';

// tRPC procedures, Koa routes and the all-in-one set-up.
export { createWechatRouter, type WechatRouter, type WechatRouterOptions } from './trpc/wechat-router.js';
export { wechatRoutes, type WechatRoutesOptions } from './routes/wechat-routes.js';
export { createWechat, type CreateWechatOptions, type Wechat } from './routes/create-wechat.js';
