// Baseline: bare Koa with @koa/router answering GET /me with a constant user of the same shape
// as koa-auth's publicUser (no session, no database).
import { createServer } from 'node:http';
import Koa from 'koa';
import { Router } from '@koa/router';
import { listen, parseArgs, USERNAME } from '../lib/common.mjs';

const args = parseArgs();
const user = {
  id: 1,
  username: USERNAME,
  email: 'bench@example.com',
  phone: null,
  firstName: '',
  lastName: '',
  nickname: '',
  avatar: null,
  gender: null,
  birthday: null,
  isActive: true,
  isStaff: false,
  isSuperuser: false,
  accountType: 'username',
  dateJoined: new Date(0).toISOString(),
  lastLogin: new Date(0).toISOString(),
  hasUsablePassword: true,
};

const app = new Koa();
const routes = new Router();
routes.get('/me', (ctx) => {
  ctx.body = user;
});
app.use(routes.routes());
await listen(createServer(app.callback()), args.port);
