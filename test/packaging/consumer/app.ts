/**
 * An app outside the workspace, as a stranger writes it with only @koa-auth/core, @koa-auth/koa
 * and @koa-auth/client installed (no WeChat, no database driver, no ioredis): type-checked with
 * `strict` and without `skipLibCheck`, so every published .d.ts must resolve (the /testing
 * entries included).
 */
import { createAuth, createKnex, MixedLoginBackend, User, type AnonymousUser } from '@koa-auth/core';
import { ConsoleSmsSender, PhoneCodeBackend, type SmsMessage, type SmsSender } from '@koa-auth/core/sms';
import { authMiddleware, createAuthRouter, koaTrpc, router, session } from '@koa-auth/koa';
import { createAuthClient } from '@koa-auth/client';
import { createTestAuth } from '@koa-auth/core/testing';
import { startTestApp, type TrpcResult } from '@koa-auth/koa/testing';
import Koa from 'koa';

/** The app's own user model, named once for every `ctx.state.user`. */
export class Customer extends User {
  declare loyaltyPoints: number;
}

declare module '@koa-auth/koa' {
  interface KoaAuthTypes {
    user: Customer;
  }
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const knex = createKnex('sqlite:data/app.db');
const auth = createAuth<Customer>({ knex, secret: 'a'.repeat(40), userModel: Customer, backends: [new MixedLoginBackend(), new PhoneCodeBackend()] });

/** An app's own SMS provider adapter, as the koa README sketches it. */
class ProviderSmsSender implements SmsSender {
  async send(message: SmsMessage): Promise<void> {
    console.log(message.phone.length > 0);
  }
}
export const smsSenders: SmsSender[] = [new ConsoleSmsSender(), new ProviderSmsSender()];
const appRouter = router({ auth: createAuthRouter() });
export type AppRouter = typeof appRouter;

const app = new Koa();
app.use(session({ auth }));
app.use(authMiddleware(auth));
app.use(koaTrpc({ router: appRouter }));
app.use(async (ctx) => {
  const user = await ctx.state.user;
  const same = await ctx.state.getUser();
  type StateChecks = [Expect<Equal<typeof user, Customer | AnonymousUser>>, Expect<Equal<typeof same, Customer | AnonymousUser>>];
  const checks: StateChecks = [true, true];
  ctx.body = user.isAuthenticated ? `${user.username}: ${user.loyaltyPoints satisfies number} points` : `anonymous ${checks.length}`;
});

export async function clientSide(): Promise<string | undefined> {
  const client = createAuthClient<AppRouter>({ url: 'http://127.0.0.1:3000/trpc', mode: 'cookie' });
  const user = await client.login({ identifier: 'alice', password: 'correct horse battery staple' });
  const me = await client.auth.me.query();
  // @ts-expect-error no `wechat` in this app's router, so no WeChat helper
  void client.loginWithWechat;
  return me?.username ?? user.username;
}

/** An app's test, with the published test helpers (type-checked here, not run: no driver). */
export async function appTest(): Promise<TrpcResult> {
  const { auth, knex, close } = await createTestAuth<Customer>({ userModel: Customer });
  const app = await startTestApp({ knex });
  try {
    await auth.users.createUser({ username: 'alice', password: 'correct horse battery staple', loyaltyPoints: 0 });
    return await app.client().mutation('auth.login', { identifier: 'alice', password: 'correct horse battery staple' });
  } finally {
    await app.close();
    await close();
  }
}
