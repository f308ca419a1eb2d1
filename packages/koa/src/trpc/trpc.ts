import { initTRPC } from '@trpc/server';
import type { AbstractUser } from '@koa-auth/core';
import type { AuthTrpcContext } from './context.js';
import { errorData, toTrpcError } from './error-mapping.js';

/**
 * The one tRPC instance of koa-auth: the auth router, the WeChat router and an app's own
 * routers are built from it so they merge into one typed router.
 */
export const t = initTRPC.context<AuthTrpcContext<AbstractUser>>().create({
  errorFormatter({ shape, error }) {
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      // An unexpected error's message may describe internals (SQL, hosts): never send it.
      message: internal ? 'Internal server error.' : shape.message,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, ...errorData(error) },
    };
  },
  sse: {
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 20_000 },
  },
});

/** Maps typed koa-auth errors thrown anywhere below to their tRPC codes. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTrpcError(result.error);
  return result;
});

/** tRPC's `router()` on koa-auth's instance: build app routers with it so they merge with `auth.*`. */
export const router = t.router;
/** A procedure anyone may call; koa-auth's typed errors thrown below it become their tRPC codes (4xx, 503). */
export const publicProcedure = t.procedure.use(mapErrors);
