/** WeChat OAuth API client: see wechat-client.ts for the contract. */
export { WechatClient } from './wechat-client.js';
export type {
  AuthorizeUrlOptions,
  QrConnectUrlOptions,
  WechatClientOptions,
  WechatLang,
} from './wechat-client.js';
export type { FetchLike } from './http.js';
export type { OfficialAccountScope, WebsiteScope } from './urls.js';
export type { WechatAccessToken, WechatUserInfo } from './schemas.js';
