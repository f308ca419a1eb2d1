/**
 * The auth object, as the core README builds it: identifier + password logins (username,
 * email or phone in any common format, national numbers read as Chinese), then WeChat, then SMS
 * codes (PhoneCodeBackend). The
 * WeChat backend is configured later by createWechat, once the callback URL is known.
 */
import { createAuth, MixedLoginBackend, type Auth, type KeyValueStore, type User } from '@koa-auth/core';
import { PhoneCodeBackend } from '@koa-auth/core/sms';
import { WechatBackend } from '@koa-auth/wechat';
import type { Knex } from './database.js';

export function createDemoAuth(options: { knex: Knex; store: KeyValueStore; secret: string }): Auth<User> {
  return createAuth<User>({
    knex: options.knex,
    store: options.store,
    secret: options.secret,
    // PhoneCodeBackend: SMS verification-code login and sign-up (auth.sms.*, see http/app.ts).
    backends: [new MixedLoginBackend<User>(), new WechatBackend<User>(), new PhoneCodeBackend<User>()],
    phoneRegion: 'CN',
  });
}
