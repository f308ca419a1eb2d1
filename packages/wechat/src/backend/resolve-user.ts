/**
 * From a WeChat identity to a user: find the profile and its user, or link the identity to the
 * request's logged-in user (binding), or create a user for it.
 *
 * Concurrency: WeChat may call back twice, a user may double-click, and a QR login may be
 * confirmed while another is in flight; every such race must end with ONE user and ONE profile.
 * Creating happens in a transaction whose inserts hit unique indexes (profile unionid,
 * profile appid+openid, and the deterministic username): the loser's insert fails, its
 * transaction rolls back (its half-created user with it), and the loop re-reads the winner's
 * profile. No lock is held across the WeChat calls, which happen before this runs.
 */
import { ServiceUnavailable, type AbstractUser, type Auth } from '@koa-auth/core';
import type { WechatProfile } from '../model/wechat-profile.js';
import { isRetryableConflict, LinkRace } from './conflicts.js';
import type { Transaction } from './db-types.js';
import { claimProfile, findProfile, insertProfile, refreshProfile } from './profile-repository.js';
import { syncUserFromProfile, USER_NICKNAME_MAX } from './sync-user.js';
import { avatarUrl, truncateText } from './text.js';
import type { WechatIdentity } from './wechat-identity.js';
import { wechatUsername } from './wechat-username.js';

/** Enough for any realistic pile-up: each retry follows a committed winner. */
const MAX_ATTEMPTS = 6;

export interface ResolvedWechatUser<U extends AbstractUser> {
  /** The linked user (whether they may log in is the caller's decision). */
  user: U;
  profile: WechatProfile;
  /** True when this call created the user. */
  created: boolean;
}

/**
 * The user `identity` belongs to. A profile linked to a user wins, whoever `requestUser` is
 * (the caller decides whether a different user is acceptable, e.g. binding refuses it).
 * Otherwise the identity is linked to `requestUser` when given, else to a new user with an
 * unusable password, a generated username, the WeChat nickname and avatar, accountType `wechat`.
 */
export async function resolveWechatUser<U extends AbstractUser>(
  auth: Auth<U>,
  identity: WechatIdentity,
  requestUser: U | null,
): Promise<ResolvedWechatUser<U>> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      const existing = await findProfile(auth.knex, identity);
      if (existing && existing.userId !== null) {
        const user = await auth.users.getById(existing.userId);
        // The user was deleted meanwhile (the cascade removes the profile too): start over.
        if (!user) continue;
        const refreshed = await refreshProfile(auth.knex, existing, identity);
        await syncUserFromProfile(auth, user, existing, refreshed);
        return { user, profile: refreshed, created: false };
      }
      return await auth.knex.transaction((trx) => linkIdentity(auth, trx, identity, existing, requestUser, attempt));
    } catch (error) {
      if (!isRetryableConflict(error)) throw error;
    }
  }
  throw new ServiceUnavailable('database', 'The WeChat account could not be linked because of concurrent logins; try again.');
}

async function linkIdentity<U extends AbstractUser>(
  auth: Auth<U>,
  trx: Transaction,
  identity: WechatIdentity,
  orphan: WechatProfile | null,
  requestUser: U | null,
  attempt: number,
): Promise<ResolvedWechatUser<U>> {
  const user = requestUser ?? (await createWechatUser(auth, trx, identity, attempt));
  if (!orphan) return { user, profile: await insertProfile(trx, identity, user.id), created: requestUser === null };
  const claimed = await claimProfile(trx, orphan, identity, user.id);
  if (!claimed) throw new LinkRace();
  return { user, profile: claimed, created: requestUser === null };
}

function createWechatUser<U extends AbstractUser>(auth: Auth<U>, trx: Transaction, identity: WechatIdentity, attempt: number): Promise<U> {
  return auth.users.createUser(
    {
      username: wechatUsername(identity, attempt),
      // Unusable: the account can only sign in through WeChat until its owner sets a password.
      password: null,
      nickname: truncateText(identity.info?.nickname ?? '', USER_NICKNAME_MAX),
      avatar: avatarUrl(identity.info?.headimgurl),
      accountType: 'wechat',
    },
    { trx },
  );
}
