// The WeChat emulator for the soak test: the bench's website app, the five default test users
// (who come back again and again: "returning" WeChat users) plus --users N generated ones
// (`soak-000000` …, each used once by the soak: "new" WeChat users).
//
//   node servers/soak-emulator.mjs --port 0 --users 20000
import { createWechatEmulator, DEFAULT_USERS } from '@koa-auth/wechat-emulator';
import { parseArgs } from '../lib/common.mjs';
import { WECHAT_APP } from '../lib/wechat-config.mjs';

const args = parseArgs();
const extra = Number(args.users ?? 0);
const generated = Array.from({ length: extra }, (_, i) => {
  const key = soakWechatUser(i);
  return { key, nickname: `Soak ${i} 🧪`, sex: 0, province: '', city: '', country: '', headimgurl: '', privilege: [], language: 'zh_CN' };
});

const emulator = createWechatEmulator({
  apps: [
    { appid: WECHAT_APP.appid, secret: WECHAT_APP.secret, kind: 'website', allowedCallbackHosts: ['127.0.0.1'], openPlatformId: WECHAT_APP.openPlatformId },
  ],
  users: [...DEFAULT_USERS, ...generated],
});
const running = await emulator.listen(Number(args.port ?? 0), '127.0.0.1');
const stop = async () => {
  await Promise.race([running.close(), new Promise((r) => setTimeout(r, 2000))]);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`READY ${running.url}\n`);

/** The soak's generated WeChat users (same naming in soak.mjs). */
function soakWechatUser(i) {
  return `soak-${String(i).padStart(6, '0')}`;
}
