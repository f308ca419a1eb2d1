// A Koa app with koa-auth's standard stack: `npm start`.
import Koa from 'koa';
import { koaAuth, loginRequired } from '@koa-auth/koa';
import { auth } from './koa-auth.config.mjs';

const stack = koaAuth({
  auth,
  allowedHosts: ['localhost', '127.0.0.1'],
  // allowRegistration: true, // let visitors sign up through auth.register
});
/** The API's type, for the typed client (client.ts). */
export type AppRouter = typeof stack.router;

const app = new Koa();
app.use(stack.middleware); // errors, allowed hosts, session, user, CSRF, /trpc/auth.*
app.use(loginRequired()); // everything below needs a logged-in user
app.use(async (ctx) => {
  const user = await ctx.state.user;
  ctx.body = `Hello ${user.username}`;
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => console.log(`Listening on http://localhost:${port}`));
