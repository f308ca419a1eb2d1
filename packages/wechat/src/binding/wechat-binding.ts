/**
 * Listing and unlinking a user's WeChat accounts. (Linking is the QR flow in `bind` mode: the
 * callback links the scanned account to the user who started it; see QrLogin.)
 *
 * Unlinking deletes the profile row, and the user's other rows of the same person (same
 * unionid, other apps): otherwise the next login through the unlinked app would find the person
 * through a remaining row and link it straight back. Nothing of the WeChat account is kept once
 * it is no longer linked. A user who has no usable password and would be left without any linked
 * account could never sign in again, so that is refused (`last_login_method`).
 */
import { AuthError, ValidationError, type AbstractUser, type Auth } from '@koa-auth/core';
import { isMysql } from '@koa-auth/core/internal';
import { WechatProfile } from '../model/wechat-profile.js';
import { profileView, type WechatProfileView } from './profile-view.js';

/** Which linked account to unlink: by profile id, or every account linked through an app. */
export type UnbindTarget = { profileId: number; appid?: undefined } | { appid: string; profileId?: undefined };

/**
 * Lists and unlinks a user's WeChat accounts (linking is QrLogin's or OaLogin's `bind` mode).
 * Unlinking removes every row of that person, and refuses to leave a user without a password
 * and without a linked account.
 */
export class WechatBinding<U extends AbstractUser = AbstractUser> {
  constructor(private readonly auth: Auth<U>) {}

  /** The user's linked WeChat accounts, oldest first. */
  async profiles(user: U): Promise<WechatProfileView[]> {
    const rows = await WechatProfile.query(this.auth.knex).where('user_id', user.id).orderBy('id');
    return rows.map(profileView);
  }

  /**
   * Unlink WeChat account(s) of `user`. Throws an AuthError `not_found` when none matches, and a
   * ValidationError (`__all__`, code `last_login_method`) when the user has no usable password
   * and no other linked account. The check and the delete run in one transaction with the user
   * row locked (MySQL), so two concurrent unlinks cannot both remove "the other" account.
   */
  async unbind(user: U, target: UnbindTarget): Promise<void> {
    const { auth } = this;
    await auth.knex.transaction(async (trx) => {
      const userRow = trx(auth.userModel.tableName).where('id', user.id).first('password');
      const row = (await (isMysql(auth.knex) ? userRow.forUpdate() : userRow)) as { password?: string } | undefined;
      const linked = await WechatProfile.query(trx).where('user_id', user.id);
      const targeted = linked.filter((p) => (target.profileId !== undefined ? p.id === target.profileId : p.appid === target.appid));
      const persons = new Set(targeted.map((p) => p.unionid).filter((u): u is string => u !== null));
      const doomed = linked.filter((p) => targeted.includes(p) || (p.unionid !== null && persons.has(p.unionid)));
      if (doomed.length === 0) throw new AuthError('not_found', 'No such linked WeChat account.');
      if (doomed.length === linked.length && !auth.hashers.isPasswordUsable(row?.password)) {
        throw ValidationError.field(
          '__all__',
          'last_login_method',
          'This WeChat account is your only way to sign in. Set a password or link another account before unlinking it.',
        );
      }
      await WechatProfile.query(trx)
        .delete()
        .whereIn(
          'id',
          doomed.map((p) => p.id),
        )
        .where('user_id', user.id);
    });
  }
}
