/**
 * The emulator as the WeChat side of the integration tests: two website apps, an Official
 * Account and a Mini Program under one open-platform account (same unionid), plus a website app
 * and a Mini Program without one. All accept callbacks on 127.0.0.1 (the test apps listen there
 * on ephemeral ports).
 */
import type { WechatAppConfig } from '@koa-auth/wechat';
import { createWechatEmulator, type RunningEmulator, type WechatEmulator, type WechatEmulatorOptions } from '@koa-auth/wechat-emulator';

export const WEB = { appid: 'wx55555555555555a1', secret: 'web-secret-0123456789abcdef0123', kind: 'website' } as const satisfies WechatAppConfig;
export const WEB2 = { appid: 'wx55555555555555a2', secret: 'web2-secret-0123456789abcdef012', kind: 'website' } as const satisfies WechatAppConfig;
export const OA = { appid: 'wx55555555555555b1', secret: 'oa-secret-0123456789abcdef01234', kind: 'oa' } as const satisfies WechatAppConfig;
export const LONE = { appid: 'wx55555555555555c1', secret: 'lone-secret-0123456789abcdef012', kind: 'website' } as const satisfies WechatAppConfig;

/** A Mini Program under the same open platform account, and one without an account. */
export const MINI = { appid: 'wx55555555555555d1', secret: 'mini-secret-0123456789abcdef012', kind: 'miniprogram' } as const satisfies WechatAppConfig;
export const MINI_LONE = { appid: 'wx55555555555555d2', secret: 'mini-lone-secret-0123456789abcd', kind: 'miniprogram' } as const satisfies WechatAppConfig;

export const ALL_APPS: WechatAppConfig[] = [WEB, WEB2, OA, LONE, MINI, MINI_LONE];

const HOSTS = ['127.0.0.1', 'localhost'];

export interface EmulatorHarness {
  emulator: WechatEmulator;
  running: RunningEmulator;
  url: string;
}

export async function startWechatEmulator(options: WechatEmulatorOptions = {}): Promise<EmulatorHarness> {
  const emulator = createWechatEmulator({
    apps: [
      { appid: WEB.appid, secret: WEB.secret, allowedCallbackHosts: HOSTS, openPlatformId: 'op-test' },
      { appid: WEB2.appid, secret: WEB2.secret, allowedCallbackHosts: HOSTS, openPlatformId: 'op-test' },
      { appid: OA.appid, secret: OA.secret, kind: 'oa', allowedCallbackHosts: HOSTS, openPlatformId: 'op-test' },
      { appid: LONE.appid, secret: LONE.secret, allowedCallbackHosts: HOSTS },
      { appid: MINI.appid, secret: MINI.secret, kind: 'miniprogram', openPlatformId: 'op-test' },
      { appid: MINI_LONE.appid, secret: MINI_LONE.secret, kind: 'miniprogram' },
    ],
    ...options,
  });
  const running = await emulator.listen(0);
  return { emulator, running, url: running.url };
}
