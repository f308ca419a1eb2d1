#!/usr/bin/env node
/**
 * koa-auth-wechat-emulator: runs the WeChat OAuth emulator as a standalone server.
 *
 *   koa-auth-wechat-emulator --port 4000 [--host 127.0.0.1]
 *     [--appid A --secret S [--kind website|oa|miniprogram] [--open-platform ID] [--callback-host H ...]]
 *     [--users users.json]
 *
 * Without --appid it serves the default website app, Official Account and Mini Program (see fixtures.ts).
 */
import { parseArgs } from 'node:util';
import { APP_KINDS, type EmulatorAppInput } from './config.js';
import { createWechatEmulator } from './create-emulator.js';

const USAGE = `Usage: koa-auth-wechat-emulator [options]
  --port N               port to listen on (default 4000; 0 = any free port)
  --host H               interface to bind (default 127.0.0.1)
  --appid A              appid of the single app to serve (needs --secret)
  --secret S             its AppSecret
  --kind K               its kind: website, oa or miniprogram (default website)
  --open-platform ID     its open-platform account (apps under one account share unionids)
  --callback-host H      allowed redirect_uri host, repeatable (default localhost, 127.0.0.1)
  --users FILE           JSON file of test users
  -h, --help             show this help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4000' },
      host: { type: 'string', default: '127.0.0.1' },
      appid: { type: 'string' },
      secret: { type: 'string' },
      kind: { type: 'string', default: 'website' },
      'open-platform': { type: 'string' },
      'callback-host': { type: 'string', multiple: true },
      users: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  const kind = APP_KINDS.find((known) => known === values.kind);
  if (!kind) throw new Error('--kind must be website, oa or miniprogram');
  if (values.appid && !values.secret) throw new Error('--appid needs --secret');
  if (!values.appid && values.secret) throw new Error('--secret needs --appid');

  let apps: EmulatorAppInput[] | undefined;
  if (values.appid && values.secret) {
    apps = [
      {
        appid: values.appid,
        secret: values.secret,
        kind,
        allowedCallbackHosts: values['callback-host'] ?? (kind === 'miniprogram' ? [] : ['localhost', '127.0.0.1']),
        ...(values['open-platform'] ? { openPlatformId: values['open-platform'] } : {}),
      },
    ];
  }

  const emulator = createWechatEmulator({
    ...(apps ? { apps } : {}),
    ...(values.users ? { usersFile: values.users } : {}),
  });
  const running = await emulator.listen(port, values.host);

  console.log(`WeChat emulator listening on ${running.url}`);
  for (const app of emulator.apps) {
    if (app.kind === 'miniprogram') {
      console.log(`  ${app.kind.padEnd(11)} ${app.appid}  /sns/jscode2session, /cgi-bin/stable_token, /wxa/business/getuserphonenumber`);
      continue;
    }
    const entry = app.kind === 'website' ? '/connect/qrconnect' : '/connect/oauth2/authorize';
    console.log(`  ${app.kind.padEnd(11)} ${app.appid}  ${entry}  callback hosts: ${app.allowedCallbackHosts.join(', ')}`);
  }
  console.log(`  users: ${emulator.users.map((user) => `${user.key} (${user.nickname})`).join(', ')}`);
  console.log(`  control API: ${running.url}/__emulator`);

  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`koa-auth-wechat-emulator: ${error instanceof Error ? error.message : String(error)}`);
  console.error(USAGE);
  process.exit(2);
});
