/**
 * WeChat login for the demo through `createWechat`: the QR flow, binding, the `wechat.*`
 * router and the callback route at `/auth/wechat/callback`. Talks to real WeChat with
 * WECHAT_APPID/WECHAT_SECRET (an Open Platform website app whose callback domain is
 * PUBLIC_URL's host), otherwise to the bundled emulator — which also has an Official Account,
 * for login inside WeChat's in-app browser (`/auth/wechat/oa/*`, `snsapi_userinfo`, and the
 * silent `snsapi_base` for browsers that logged in that way before), and a Mini Program
 * (`wechat.miniProgram.login` / `bindPhone`).
 */
import type { Auth, User } from '@koa-auth/core';
import type { TokenService } from '@koa-auth/koa';
import { createWechat, type Wechat } from '@koa-auth/wechat';
import type { WechatSetting } from '../config/config.js';
import { EMULATOR_APP, EMULATOR_MINI_PROGRAM_APP, EMULATOR_OA_APP, type RunningDemoEmulator } from './emulator.js';

export const WECHAT_CALLBACK_PATH = '/auth/wechat/callback';

export interface DemoWechat {
  wechat: Wechat<User>;
  /** Origin of WeChat's QR page as browsers see it (allowed as a frame source). */
  openOrigin: string;
  /** For the start-up message. */
  description: string;
}

export function setupWechat(options: {
  auth: Auth<User>;
  tokens: TokenService<User>;
  setting: WechatSetting;
  publicUrl: string;
  emulator: RunningDemoEmulator | null;
  /** How long a QR code is accepted (WECHAT_QR_TTL_SECONDS). */
  qrTtlSeconds?: number;
}): DemoWechat {
  const { setting, emulator } = options;
  const callbackUrl = `${options.publicUrl}${WECHAT_CALLBACK_PATH}`;
  const common = {
    auth: options.auth,
    tokens: options.tokens,
    callbackUrl,
    loginUrl: '/login#wechat',
    ...(options.qrTtlSeconds !== undefined ? { qr: { stateTtlSeconds: options.qrTtlSeconds } } : {}),
  };
  if (setting.kind === 'real') {
    return {
      wechat: createWechat<User>({ ...common, apps: [{ appid: setting.appid, secret: setting.secret, kind: 'website' }] }),
      openOrigin: 'https://open.weixin.qq.com',
      description: `WeChat Open Platform, appid ${setting.appid} (callback ${callbackUrl})`,
    };
  }
  if (!emulator) throw new Error('setupWechat: the emulator must be running when WeChat is not configured.');
  const wechat = createWechat<User>({
    ...common,
    apps: [
      { appid: EMULATOR_APP.appid, secret: EMULATOR_APP.secret, kind: 'website' },
      { appid: EMULATOR_OA_APP.appid, secret: EMULATOR_OA_APP.secret, kind: 'oa' },
      // `wechat.miniProgram.*` against the emulator's Mini Program (codes from POST /__emulator/codes).
      { appid: EMULATOR_MINI_PROGRAM_APP.appid, secret: EMULATOR_MINI_PROGRAM_APP.secret, kind: 'miniprogram' },
    ],
    oa: { scope: 'snsapi_userinfo', baseForReturningUsers: true, defaultNext: '/profile' },
    apiBaseUrl: emulator.apiUrl,
    openBaseUrl: emulator.browserUrl,
  });
  const names = emulator.users.map((u) => u.nickname).join(', ');
  return {
    wechat,
    openOrigin: new URL(emulator.browserUrl).origin,
    description: `bundled emulator at ${emulator.browserUrl} (test users: ${names})`,
  };
}
