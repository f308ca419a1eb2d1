// The WeChat emulator (WeChat's side of the QR login), for the WeChat case.
//
//   node servers/wechat-emulator.mjs --port 0
import { createWechatEmulator } from '@koa-auth/wechat-emulator';
import { parseArgs } from '../lib/common.mjs';
import { WECHAT_APP } from '../lib/wechat-config.mjs';

const args = parseArgs();
const emulator = createWechatEmulator({
  apps: [
    { appid: WECHAT_APP.appid, secret: WECHAT_APP.secret, kind: 'website', allowedCallbackHosts: ['127.0.0.1'], openPlatformId: WECHAT_APP.openPlatformId },
  ],
});
const running = await emulator.listen(Number(args.port ?? 0), '127.0.0.1');
const stop = async () => {
  await Promise.race([running.close(), new Promise((r) => setTimeout(r, 2000))]);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`READY ${running.url}\n`);
