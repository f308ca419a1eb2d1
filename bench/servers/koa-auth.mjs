// The koa-auth app under test: koaAuth()'s standard stack (session, authMiddleware with bearer
// then session, CSRF, the tRPC auth router) and a few @koa/router routes after it, on a memory or Redis store and a SQLite or
// MariaDB database (already migrated and seeded by the driver).
//
//   node servers/koa-auth.mjs --port 0 --db sqlite:///tmp/x.sqlite --store memory|redis://… [--no-auth]
//
// Routes: GET /me (reads the user), GET /ping (never reads it), GET /perms (permissionRequired
// with 100 permissions, then the /me answer), POST /trpc/auth.login|auth.token, GET /__stats;
// with --no-auth (the same parts by hand, without authMiddleware) also POST /__bench-login.
import { createServer } from 'node:http';
import Koa from 'koa';
import { Router } from '@koa/router';
import { createAuth, createKnex, MemoryStore, ModelBackend, RedisStore } from '@koa-auth/core';
import {
  authErrorHandler,
  createAuthRouter,
  csrfProtection,
  koaAuth,
  koaTrpc,
  LoginThrottle,
  permissionRequired,
  publicUser,
  router as trpcRouter,
  session,
  TokenService,
} from '@koa-auth/koa';
import { BACKEND_SESSION_KEY, HASH_SESSION_KEY, META_SESSION_KEY, rotateCsrfToken, SESSION_KEY } from '@koa-auth/koa/internal';
import { listen, parseArgs, PERMISSIONS, SECRET, statsMiddleware, USERNAME } from '../lib/common.mjs';

const args = parseArgs();
const knex = createKnex(args.db);
const store = args.store && args.store !== 'memory' ? RedisStore.fromUrl(args.store, { prefix: args.prefix ?? 'koa-auth-bench:' }) : new MemoryStore();
/**
 * --cache-user MS (experiment only, not the default set-up): ModelBackend whose getUser keeps
 * each user's row for MS milliseconds in this process and builds a fresh model from it per
 * request — what a user cache in the package could save (see README.md).
 */
class RowCachingModelBackend extends ModelBackend {
  rows = new Map();
  async getUser(auth_, id) {
    const key = String(id);
    const hit = this.rows.get(key);
    let row = hit && hit.until > Date.now() ? hit.row : undefined;
    if (!row) {
      row = await auth_.knex(auth_.userModel.tableName).where('id', id).first();
      if (!row) return null;
      this.rows.set(key, { row, until: Date.now() + Number(args['cache-user']) });
    }
    const user = auth_.userModel.fromDatabaseJson(row);
    return this.userCanAuthenticate(user) ? user : null;
  }
}

// Default backends (ModelBackend) and default hashers (scrypt-kdf, logN 15).
const auth = createAuth({ knex, secret: SECRET, store, ...(args['cache-user'] ? { backends: [new RowCachingModelBackend()] } : {}) });
const tokens = new TokenService(auth, { accessTtlSeconds: 3600 });
const throttle = new LoginThrottle({ store });

const app = new Koa();
app.use(statsMiddleware(knex));
if (args['no-auth']) {
  // The baseline: koaAuth()'s parts in its order, less the auth middleware.
  app.use(authErrorHandler());
  app.use(session({ auth }));
  app.use(csrfProtection());
  app.use(koaTrpc({ router: trpcRouter({ auth: createAuthRouter({ throttle, tokens }) }) }));
} else {
  app.use(koaAuth({ auth, allowedHosts: ['127.0.0.1', 'localhost'], tokens, throttle }).middleware);
}

async function me(ctx) {
  const user = await ctx.state.user;
  if (!user.isAuthenticated) {
    ctx.status = 401;
    ctx.body = { error: 'not_authenticated' };
    return;
  }
  ctx.body = publicUser(auth, user);
}

const routes = new Router();
routes.get('/me', me);
routes.get('/ping', (ctx) => {
  ctx.body = { ok: true };
});
routes.get('/perms', permissionRequired(PERMISSIONS), me);
if (args['no-auth']) {
  // Without authMiddleware, login() cannot run: write what login() writes (user id, backend,
  // auth hash, login metadata, a rotated CSRF secret and its cookie) under a new session id, so
  // the baseline of "a session that never reads the user" carries the same session data.
  routes.post('/__bench-login', async (ctx) => {
    const user = await auth.users.getByNaturalKey(USERNAME);
    ctx.session[SESSION_KEY] = user.id;
    ctx.session[BACKEND_SESSION_KEY] = auth.backends[0].name;
    ctx.session[HASH_SESSION_KEY] = auth.sessionAuthHash(user);
    ctx.session[META_SESSION_KEY] = { createdAt: Date.now(), ip: ctx.ip, userAgent: (ctx.get('user-agent') || '').slice(0, 256) };
    rotateCsrfToken(ctx);
    await ctx.session.regenerate();
    ctx.body = { ok: true };
  });
}
app.use(routes.routes());

await listen(createServer(app.callback()), args.port, async () => {
  await store.close?.();
  await knex.destroy();
});
