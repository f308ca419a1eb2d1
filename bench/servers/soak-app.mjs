// The app under the soak test (bench/soak.mjs): a full koa-auth site with WeChat QR login, built
// like servers/wechat-app.mjs — sessions, lazy user (bearer then session), CSRF, the WeChat
// callback routes, the auth.* and wechat.* tRPC routers — plus what a site adds and the bench
// app leaves out: MixedLoginBackend (login by username, email or phone), a LoginThrottle, and a
// SQLite database or a memory store as well as MariaDB / Redis.
//
// Side endpoints for the soak driver, answered before any koa-auth middleware runs:
//   GET /__heap          runs global.gc() twice (start node with --expose-gc) and answers
//                        process.memoryUsage(), plus the MemoryStore's entry count with --store memory
//   GET /__heap/snapshot writes a V8 heap snapshot into --snapshot-dir and answers its path
//
//   node --expose-gc servers/soak-app.mjs --port 0 --db sqlite:/tmp/x.db --store redis://… --prefix P
//        --emulator URL [--scrypt-logn 15] [--snapshot-dir DIR]
import { createServer } from 'node:http';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import Koa from 'koa';
import { createAuth, createKnex, defaultHashers, MemoryStore, MixedLoginBackend, RedisStore } from '@koa-auth/core';
import { koaAuth, LoginThrottle, TokenService } from '@koa-auth/koa';
import { createWechat, WechatBackend } from '@koa-auth/wechat';
import { parseArgs, SECRET } from '../lib/common.mjs';
import { WECHAT_APP } from '../lib/wechat-config.mjs';

const args = parseArgs();
if (typeof global.gc !== 'function') throw new Error('soak-app needs node --expose-gc');

const server = createServer();
await new Promise((resolve) => server.listen(Number(args.port ?? 0), '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}`;

const knex = createKnex(args.db);
const store = args.store === 'memory' ? new MemoryStore() : RedisStore.fromUrl(args.store, { prefix: args.prefix });
const auth = createAuth({
  knex,
  secret: SECRET,
  store,
  backends: [new MixedLoginBackend(), new WechatBackend()],
  phoneRegion: 'CN',
  hashers: args['scrypt-logn'] ? defaultHashers({ logN: Number(args['scrypt-logn']) }) : undefined,
});
const tokens = new TokenService(auth);
// Every soak client comes from 127.0.0.1: the per-address limit (default 50 failures in 15
// minutes, meant for password spraying) would lock them all out; the per-account one stays.
const throttle = new LoginThrottle({ store, perAddress: { points: 1_000_000 } });
const wechat = createWechat({
  auth,
  apps: [{ appid: WECHAT_APP.appid, secret: WECHAT_APP.secret, kind: 'website' }],
  apiBaseUrl: args.emulator,
  openBaseUrl: args.emulator,
  callbackUrl: `${url}/auth/wechat/callback`,
  tokens,
});

const app = new Koa();
app.use(async function soakSideEndpoints(ctx, next) {
  if (ctx.method !== 'GET' || !ctx.path.startsWith('/__heap')) return next();
  if (ctx.path === '/__heap') {
    global.gc();
    global.gc();
    ctx.body = { ...process.memoryUsage(), storeEntries: store instanceof MemoryStore ? store.entries.size : null };
  } else if (ctx.path === '/__heap/snapshot' && args['snapshot-dir']) {
    global.gc();
    ctx.body = { file: writeHeapSnapshot(join(args['snapshot-dir'], `soak-${Date.now()}.heapsnapshot`)) };
  }
  return undefined;
});
// The soak clients sign up through auth.register.
app.use(
  koaAuth({
    auth,
    allowedHosts: ['127.0.0.1', 'localhost'],
    tokens,
    throttle,
    allowRegistration: true,
    limits: { register: { perAddress: { points: 1_000_000 } } },
    routers: { wechat: wechat.router },
  }).middleware,
);
app.use(wechat.routes);
server.on('request', app.callback());

let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  server.closeAllConnections();
  await Promise.race([Promise.all([store.close(), knex.destroy()]), new Promise((r) => setTimeout(r, 2000))]);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`READY ${url}\n`);
