import Koa from 'koa';
import { Router } from '@koa/router';
const app = new Koa();
const r = new Router();
r.get('/', (ctx) => { ctx.body = 'x'; });
app.use(r.routes());
export { app };
