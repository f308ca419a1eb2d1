/**
 * Reading and writing WechatProfile rows. Every function takes the connection to use, so the
 * same code runs inside and outside the linking transaction.
 */
import { WechatProfile } from '../model/wechat-profile.js';
import type { Db } from './db-types.js';
import { truncateText } from './profile-values.js';
import type { WechatIdentity } from './wechat-identity.js';

/** The row of `identity`'s own app identity (appid + openid), if recorded. */
export async function findOwnProfile(db: Db, identity: WechatIdentity): Promise<WechatProfile | null> {
  return (await WechatProfile.query(db).findOne({ appid: identity.appid, openid: identity.openid })) ?? null;
}

/**
 * The oldest linked row of the person `unionid` names (another app of the same open-platform
 * account), if any. Oldest: should two accounts ever share a unionid (identities recorded
 * without it and back-filled later), the answer stays stable.
 */
export async function findLinkedSibling(db: Db, unionid: string): Promise<WechatProfile | null> {
  return (await WechatProfile.query(db).where('unionid', unionid).whereNotNull('user_id').orderBy('id').first()) ?? null;
}

/**
 * Insert the row of `identity`, linked to `userId`. `anchor`: this is the first row of its
 * unionid (see WechatProfile.unionidAnchor). A concurrent twin makes it fail on a unique index.
 */
export async function insertProfile(db: Db, identity: WechatIdentity, userId: number | null, anchor: boolean): Promise<WechatProfile> {
  const now = new Date();
  return WechatProfile.query(db).insertAndFetch({
    userId,
    appid: identity.appid,
    openid: identity.openid,
    unionid: identity.unionid,
    unionidAnchor: anchor ? identity.unionid : null,
    ...infoFields(identity),
    privilege: identity.info?.privilege ?? [],
    createdAt: now,
    updatedAt: now,
  });
}

/**
 * Bring a found profile up to date: back-fill a unionid seen for the first time, and copy the
 * latest nickname, avatar and other userinfo fields (only when this login could read them).
 * Returns the updated profile; `profile` itself is left as it was, for comparison.
 */
export async function refreshProfile(db: Db, profile: WechatProfile, identity: WechatIdentity): Promise<WechatProfile> {
  const patch: Partial<WechatProfile> = {};
  if (!profile.unionid && identity.unionid) patch.unionid = identity.unionid;
  if (identity.info) {
    const fields = { ...infoFields(identity), privilege: identity.info.privilege };
    for (const [key, value] of Object.entries(fields) as [keyof typeof fields, unknown][]) {
      if (JSON.stringify(profile[key]) !== JSON.stringify(value)) Object.assign(patch, { [key]: value });
    }
  }
  if (Object.keys(patch).length === 0) return profile;
  patch.updatedAt = new Date();
  await WechatProfile.query(db).patch(patch).where('id', profile.id);
  return Object.assign(profile.$clone(), patch);
}

/**
 * Link an unlinked profile to `userId`, refreshing it on the way. Only succeeds while the
 * profile is still unlinked: false when a concurrent login linked it first.
 */
export async function claimProfile(db: Db, profile: WechatProfile, identity: WechatIdentity, userId: number): Promise<WechatProfile | null> {
  const refreshed = await refreshProfile(db, profile, identity);
  const updated = await WechatProfile.query(db).patch({ userId, updatedAt: new Date() }).where('id', profile.id).whereNull('user_id');
  return updated === 1 ? Object.assign(refreshed.$clone(), { userId }) : null;
}

/** The userinfo columns of a profile, cut to their column sizes (never inside an emoji). */
function infoFields(identity: WechatIdentity) {
  const info = identity.info;
  return {
    nickname: truncateText(info?.nickname ?? '', 255),
    // A cut URL would be a wrong URL: drop oversized ones instead.
    headimgurl: info && info.headimgurl.length <= 1024 ? info.headimgurl : '',
    sex: info?.sex ?? 0,
    province: truncateText(info?.province ?? '', 64),
    city: truncateText(info?.city ?? '', 64),
    country: truncateText(info?.country ?? '', 64),
    language: truncateText(info?.language ?? '', 32),
  };
}
