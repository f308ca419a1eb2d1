import type { AuthRouter, router } from '@koa-auth/koa';
import type { WechatRouter } from '@koa-auth/wechat';

/** The router the client tests' servers mount: `router({ auth, wechat })` (client-app.ts). */
export type TestAppRouter = ReturnType<typeof router<{ auth: AuthRouter; wechat: WechatRouter }>>;

/** A router with koa-auth's auth procedures only (no WeChat). */
export type AuthOnlyRouter = ReturnType<typeof router<{ auth: AuthRouter }>>;
