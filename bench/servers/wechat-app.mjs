// One instance of a full koa-auth app with WeChat QR login (as a site builds it): sessions,
// lazy user (bearer then session), CSRF, the WeChat routes and the auth.* + wechat.* tRPC
// routers, on a shared Redis store and a shared MariaDB database. Several instances with the
// same --store and --db behave as one site behind a load balancer.
//
//   node servers/wechat-app.mjs --port 0 --db mysql://…/db --store redis://… --prefix P --emulator URL
import { createServer } from 'node:http';
import Koa from 'koa';
import { createAuth, createKnex, ModelBackend, RedisStore } from '@koa-auth/core';
import { koaAuth, TokenService } from '@koa-auth/koa';
import { createWechat, WechatBackend } from '@koa-auth/wechat';
import { parseArgs, SECRET } from '../lib/common.mjs';
import { WECHAT_APP } from '../lib/wechat-config.mjs';

const args = parseArgs();
const server = createServer();
await new Promise((resolve) => server.listen(Number(args.port ?? 0), '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}`;

const knex = createKnex(args.db);
const store = RedisStore.fromUrl(args.store, { prefix: args.prefix ?? 'koa-auth-bench:wechat:' });
const auth = createAuth({ knex, secret: SECRET, store, backends: [new ModelBackend(), new WechatBackend()] });
const tokens = new TokenService(auth);
const wechat = createWechat({
  auth,
  apps: [{ appid: WECHAT_APP.appid, secret: WECHAT_APP.secret, kind: 'website' }],
  apiBaseUrl: args.emulator,
  openBaseUrl: args.emulator,
  callbackUrl: `${url}/auth/wechat/callback`,
  tokens,
});

const app = new Koa();
app.use(koaAuth({ auth, allowedHosts: ['127.0.0.1', 'localhost'], tokens, routers: { wechat: wechat.router } }).middleware);
app.use(wechat.routes);
server.on('request', app.callback());

const stop = async () => {
  server.closeAllConnections();
  await Promise.race([Promise.all([store.close(), knex.destroy()]), new Promise((r) => setTimeout(r, 2000))]);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`READY ${url}\n`);
