import { ValidationError, type AbstractUser, type Auth } from '@koa-auth/core';
import type { WechatProfile } from '../model/wechat-profile.js';
import { avatarUrl, truncateText } from './profile-values.js';

/** User nickname column size (core's user fields). */
export const USER_NICKNAME_MAX = 150;

/**
 * Carry a WeChat nickname/avatar change over to the user, but only where the user still shows
 * what WeChat showed before: a nickname or avatar the user set on this site is theirs and is
 * never overwritten. Best effort: a value the user model refuses is skipped, not an error.
 */
export async function syncUserFromProfile<U extends AbstractUser>(auth: Auth<U>, user: U, before: WechatProfile, after: WechatProfile): Promise<void> {
  const patch: Record<string, unknown> = {};
  const oldNickname = truncateText(before.nickname, USER_NICKNAME_MAX);
  const newNickname = truncateText(after.nickname, USER_NICKNAME_MAX);
  if (newNickname !== oldNickname && (user.nickname ?? '') === oldNickname) patch.nickname = newNickname;
  const oldAvatar = avatarUrl(before.headimgurl);
  const newAvatar = avatarUrl(after.headimgurl);
  if (newAvatar !== oldAvatar && (user.avatar ?? null) === oldAvatar) patch.avatar = newAvatar;
  if (Object.keys(patch).length === 0) return;
  try {
    await auth.users.updateUser(user, patch);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
  }
}
