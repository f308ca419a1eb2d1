import type { WechatProfile } from '../model/wechat-profile.js';

/**
 * What a user is shown of one of their linked WeChat accounts. No openid/unionid (identifiers
 * the user has no use for) and, as nothing of the kind is stored, no WeChat token.
 */
export interface WechatProfileView {
  id: number;
  /** The app through which the account was linked. */
  appid: string;
  nickname: string;
  /** Avatar URL, empty when none. */
  headimgurl: string;
  /** ISO 8601. */
  linkedAt: string;
  /** ISO 8601: last time a login refreshed it. */
  updatedAt: string;
}

/** `profile` as the user sees it (WechatProfileView): dates as ISO strings, no openid, unionid or token. */
export function profileView(profile: WechatProfile): WechatProfileView {
  return {
    id: profile.id,
    appid: profile.appid,
    nickname: profile.nickname,
    headimgurl: profile.headimgurl,
    linkedAt: new Date(profile.createdAt).toISOString(),
    updatedAt: new Date(profile.updatedAt).toISOString(),
  };
}
