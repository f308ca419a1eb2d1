/**
 * The bundled WeChat emulator (used when WECHAT_APPID/WECHAT_SECRET are not set): WeChat's QR
 * page, consent buttons, `/sns/*` API and Mini Program API on a port of its own, with the package's test users
 * (emoji nicknames included). The browser reaches it under the public host name; the server
 * calls its API over loopback.
 */
import { createWechatEmulator, DEFAULT_APPS, DEFAULT_USERS, type EmulatorUser } from '@koa-auth/wechat-emulator';

/** The emulator's website app (QR login), registered with the demo's callback host. */
export const EMULATOR_APP = DEFAULT_APPS.find((app) => app.kind === 'website') ?? DEFAULT_APPS[0]!;
/** The emulator's Official Account (login inside WeChat's in-app browser), same open platform. */
export const EMULATOR_OA_APP = DEFAULT_APPS.find((app) => app.kind === 'oa')!;
/** The emulator's Mini Program (`wx.login` → `wechat.miniProgram.login`), same open platform. */
export const EMULATOR_MINI_PROGRAM_APP = DEFAULT_APPS.find((app) => app.kind === 'miniprogram')!;

export interface RunningDemoEmulator {
  /** What browsers open (QR page): `http://<public host>:<port>`. */
  browserUrl: string;
  /** What the server calls (`/sns/*`). */
  apiUrl: string;
  users: readonly EmulatorUser[];
  close(): Promise<void>;
}

export async function startEmulator(options: { port: number; host: string; publicHostname: string }): Promise<RunningDemoEmulator> {
  const hostsOf = (app: typeof EMULATOR_APP) => [...new Set([...(app.allowedCallbackHosts ?? []), options.publicHostname])];
  const emulator = createWechatEmulator({
    apps: [...[EMULATOR_APP, EMULATOR_OA_APP].map((app) => ({ ...app, allowedCallbackHosts: hostsOf(app) })), EMULATOR_MINI_PROGRAM_APP],
    users: [...DEFAULT_USERS],
    seed: 'koa-auth-demo',
  });
  const running = await emulator.listen(options.port, options.host);
  const loopback = isWildcard(options.host) ? '127.0.0.1' : options.host;
  const apiHost = loopback.includes(':') ? `[${loopback}]` : loopback;
  const browserHost = options.publicHostname.includes(':') ? `[${options.publicHostname}]` : options.publicHostname;
  return {
    browserUrl: `http://${browserHost}:${running.port}`,
    apiUrl: `http://${apiHost}:${running.port}`,
    users: emulator.users,
    close: () => running.close(),
  };
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}
