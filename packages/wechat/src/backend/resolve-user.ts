/**
 * From a WeChat identity to a user, for any kind of app (website QR, Official Account, Mini
 * Program): the durable identity is one profile row per (appid, openid), all rows of one person
 * sharing the unionid (an openid is per app; the unionid is per open-platform account).
 *
 * 1. The identity's own row (appid + openid) linked to a user: that user.
 * 2. Else a linked row of the same person (same unionid, another app): that user, and this
 *    app's openid is recorded as a new row of theirs — so a later login of this app without a
 *    unionid (OA `snsapi_base`) still finds them.
 * 3. Else nobody: link to the explicit binding target, or create a user (unless the caller
 *    allows existing users only).
 *
 * Concurrency: WeChat may call back twice, a user may double-click, and a person may log in
 * through two apps at once; every such race must end with ONE user and one row per app.
 * Creating happens in a transaction whose inserts hit unique indexes ((appid, openid), the
 * person's `unionid_anchor` and the deterministic username): the loser's insert fails, its
 * transaction rolls back (its half-created user with it), and the loop re-reads the winner's
 * rows. No lock is held across the WeChat calls, which happen before this runs.
 */
import { ServiceUnavailable, type AbstractUser, type Auth } from '@koa-auth/core';
import type { WechatProfile } from '../model/wechat-profile.js';
import { isRetryableConflict, LinkRace } from './conflicts.js';
import type { Transaction } from './db-types.js';
import { claimProfile, findLinkedSibling, findOwnProfile, insertProfile, refreshProfile } from './profile-repository.js';
import { syncUserFromProfile, USER_NICKNAME_MAX } from './sync-user.js';
import { avatarUrl, truncateText } from './profile-values.js';
import type { WechatIdentity } from './wechat-identity.js';
import { wechatUsername } from './wechat-username.js';

/** Enough for any realistic pile-up: each retry follows a committed winner. */
const MAX_ATTEMPTS = 6;

export interface ResolvedWechatUser<U extends AbstractUser> {
  /** The linked user (whether they may log in is the caller's decision). */
  user: U;
  /** The identity's own row (appid + openid) — or, when `bindTo` was refused, the row naming the owner. */
  profile: WechatProfile;
  /** True when this call created the user. */
  created: boolean;
}

export interface ResolveWechatUserOptions<U extends AbstractUser> {
  /**
   * An explicit binding: link an identity nobody owns yet to this user. An identity (or person)
   * already linked to someone else resolves to that someone; the caller refuses the binding.
   */
  bindTo?: U | null;
  /** False: never create a user; an unknown identity resolves to null. Default true. */
  createUser?: boolean;
}

/**
 * The user `identity` belongs to, recording the identity's row on the way (see the module
 * comment). Null only when `createUser` is false and nobody owns the identity. Throws
 * ServiceUnavailable when concurrent logins keep winning every attempt.
 */
export async function resolveWechatUser<U extends AbstractUser>(
  auth: Auth<U>,
  identity: WechatIdentity,
  options: ResolveWechatUserOptions<U> = {},
): Promise<ResolvedWechatUser<U> | null> {
  const bindTo = options.bindTo ?? null;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      const own = await findOwnProfile(auth.knex, identity);
      if (own && own.userId !== null) {
        const user = await auth.users.getById(own.userId);
        // The user was deleted meanwhile (the cascade removes the row too): start over.
        if (!user) continue;
        const refreshed = await refreshProfile(auth.knex, own, identity);
        await syncUserFromProfile(auth, user, own, refreshed);
        return { user, profile: refreshed, created: false };
      }
      const sibling = identity.unionid ? await findLinkedSibling(auth.knex, identity.unionid) : null;
      if (sibling) {
        const owner = await auth.users.getById(sibling.userId!);
        if (!owner) continue;
        // The person is someone else's: the binding is refused, nothing is recorded for it.
        if (bindTo && bindTo.id !== owner.id) return { user: owner, profile: sibling, created: false };
        return { user: owner, profile: await recordRow(auth, identity, own, owner.id, false), created: false };
      }
      if (!bindTo && options.createUser === false) return null;
      return await auth.knex.transaction((trx) => linkIdentity(auth, trx, identity, own, bindTo, attempt));
    } catch (error) {
      if (!isRetryableConflict(error)) throw error;
    }
  }
  throw new ServiceUnavailable('database', 'The WeChat account could not be linked because of concurrent logins; try again.');
}

/** Record the identity's row for `userId`: claim an unlinked one, or insert it. */
async function recordRow<U extends AbstractUser>(
  auth: Auth<U>,
  identity: WechatIdentity,
  orphan: WechatProfile | null,
  userId: number,
  anchor: boolean,
  trx?: Transaction,
): Promise<WechatProfile> {
  const db = trx ?? auth.knex;
  if (!orphan) return insertProfile(db, identity, userId, anchor);
  const claimed = await claimProfile(db, orphan, identity, userId);
  if (!claimed) throw new LinkRace();
  return claimed;
}

async function linkIdentity<U extends AbstractUser>(
  auth: Auth<U>,
  trx: Transaction,
  identity: WechatIdentity,
  orphan: WechatProfile | null,
  bindTo: U | null,
  attempt: number,
): Promise<ResolvedWechatUser<U>> {
  const user = bindTo ?? (await createWechatUser(auth, trx, identity, attempt));
  // The person's first row carries the anchor, which a concurrent founder inserts too.
  const profile = await recordRow(auth, identity, orphan, user.id, identity.unionid !== null, trx);
  return { user, profile, created: bindTo === null };
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
