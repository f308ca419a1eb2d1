import { createHash } from 'node:crypto';
import { randomString } from '@koa-auth/core/internal';
import type { WechatIdentity } from './wechat-identity.js';

/**
 * The username of a user created by a WeChat login: `wx_` and 12 hex characters of a hash of
 * the unionid (else appid + openid). Deterministic on purpose: concurrent first logins of one
 * person then also collide on the username index, not only on the profile's. Later attempts
 * (the name is taken by someone else) add a random suffix.
 */
export function wechatUsername(identity: WechatIdentity, attempt: number): string {
  const key = identity.unionid ? `unionid:${identity.unionid}` : `openid:${identity.appid}:${identity.openid}`;
  const base = `wx_${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
  return attempt === 0 ? base : `${base}_${randomString(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
}
