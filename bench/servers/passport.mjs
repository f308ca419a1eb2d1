// Baseline peer: koa-session + koa-passport doing the same work as the koa-auth app's GET /me —
// a server-side session in an external store of the same kind (a Map holding JSON, or the same
// Redis through ioredis), passport.deserializeUser loading the user row from the same database
// through knex (same driver and pool settings), and the same public view of the user as JSON.
//
//   node servers/passport.mjs --port 0 --db sqlite:///tmp/x.sqlite --store memory|redis://…
//
// Routes: POST /login (passport-local, JSON body), GET /me, GET /__stats.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Koa from 'koa';
import { Router } from '@koa/router';
import koaSession from 'koa-session';
import passport from 'koa-passport';
import { Strategy as LocalStrategy } from 'passport-local';
import knexFactory from 'knex';
import { Redis } from 'ioredis';
import { knexConfig } from '@koa-auth/core/internal';
import { listen, loadScryptKdf, parseArgs, SECRET, statsMiddleware, TWO_WEEKS_MS } from '../lib/common.mjs';

const args = parseArgs();
const knex = knexFactory(knexConfig(args.db));
const scryptKdf = await loadScryptKdf();

/** koa-session's external-store contract over a Map of JSON strings, or over Redis. */
function mapStore() {
  const map = new Map();
  return {
    async get(key) {
      const entry = map.get(key);
      if (!entry) return null;
      if (entry.expiresAt <= Date.now()) {
        map.delete(key);
        return null;
      }
      return JSON.parse(entry.value);
    },
    async set(key, sess, maxAge) {
      map.set(key, { value: JSON.stringify(sess), expiresAt: Date.now() + (typeof maxAge === 'number' ? maxAge : 86_400_000) });
    },
    async destroy(key) {
      map.delete(key);
    },
    close: async () => {},
  };
}

function redisStore(url, prefix) {
  const redis = new Redis(url);
  return {
    async get(key) {
      const raw = await redis.get(prefix + key);
      return raw === null ? null : JSON.parse(raw);
    },
    async set(key, sess, maxAge) {
      await redis.set(prefix + key, JSON.stringify(sess), 'PX', typeof maxAge === 'number' ? maxAge : 86_400_000);
    },
    async destroy(key) {
      await redis.del(prefix + key);
    },
    close: () => redis.quit(),
  };
}

const store = args.store && args.store !== 'memory' ? redisStore(args.store, args.prefix ?? 'passport-bench:') : mapStore();

/** The same fields koa-auth's publicUser shows, from a raw auth_user row. */
function publicView(row) {
  return {
    id: row.id,
    username: row.username,
    email: row.email ?? null,
    phone: row.phone ?? null,
    firstName: row.first_name ?? '',
    lastName: row.last_name ?? '',
    nickname: row.nickname ?? '',
    avatar: row.avatar ?? null,
    gender: row.gender ?? null,
    birthday: row.birthday ?? null,
    isActive: Boolean(row.is_active),
    isStaff: Boolean(row.is_staff),
    isSuperuser: Boolean(row.is_superuser),
    accountType: row.account_type,
    dateJoined: new Date(row.date_joined).toISOString(),
    lastLogin: row.last_login ? new Date(row.last_login).toISOString() : null,
    hasUsablePassword: typeof row.password === 'string' && !row.password.startsWith('!'),
  };
}

passport.serializeUser((user, done) => done(null, user.id));
passport.deserializeUser((id, done) => {
  knex('auth_user')
    .where('id', id)
    .first()
    .then((row) => done(null, row?.is_active ? row : false), done);
});
passport.use(
  new LocalStrategy((username, password, done) => {
    knex('auth_user')
      .where('username', username)
      .first()
      .then(async (row) => {
        if (!row?.password.startsWith('scrypt-kdf$')) return done(null, false);
        const ok = await scryptKdf.verify(Buffer.from(row.password.slice('scrypt-kdf$'.length), 'base64'), password);
        done(null, ok && row.is_active ? row : false);
      }, done);
  }),
);

const app = new Koa();
app.keys = [createHmac('sha256', SECRET).update('koa-auth.cookie-signing').digest('base64url')];
app.use(statsMiddleware(knex));
app.use(
  koaSession(
    {
      key: 'sessionid',
      maxAge: TWO_WEEKS_MS,
      httpOnly: true,
      signed: true,
      sameSite: 'lax',
      renew: true,
      genid: () => randomBytes(32).toString('base64url'),
      store,
    },
    app,
  ),
);
// A tiny JSON body reader for POST /login (passport-local reads req.body).
app.use(async (ctx, next) => {
  if (ctx.method === 'POST') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    try {
      ctx.request.body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      ctx.throw(400);
    }
  }
  await next();
});
app.use(passport.initialize());
app.use(passport.session());

const routes = new Router();
routes.post('/login', passport.authenticate('local'), (ctx) => {
  ctx.body = publicView(ctx.state.user);
});
routes.get('/me', (ctx) => {
  if (!ctx.isAuthenticated()) {
    ctx.status = 401;
    ctx.body = { error: 'not_authenticated' };
    return;
  }
  ctx.body = publicView(ctx.state.user);
});
app.use(routes.routes());

await listen(createServer(app.callback()), args.port, async () => {
  await store.close();
  await knex.destroy();
});
