/**
 * `createWechatEmulator`: a Koa app that speaks WeChat's login protocols (open.weixin.qq.com
 * pages, api.weixin.qq.com `/sns/*` OAuth and the Mini Program's `jscode2session`,
 * `stable_token` and `getuserphonenumber`) on one origin, plus a small JS API for tests.
 * Point both `openBaseUrl` and `apiBaseUrl` of the client at its URL.
 */
import type { Server } from 'node:http';
import Koa from 'koa';
import { CallCounters, type CallCounts } from './call-counters.js';
import { createClock, type EmulatorClock } from './clock.js';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  LOGIN_SESSION_TTL_SECONDS,
  normalizeApp,
  REFRESH_TOKEN_TTL_SECONDS,
  type EmulatorApp,
  type EmulatorAppInput,
  type EmulatorUser,
} from './config.js';
import { connectRoutes } from './connect-routes.js';
import type { CallbackFetch, EmulatorContext } from './context.js';
import { controlRoutes } from './control-routes.js';
import { DEFAULT_APPS, DEFAULT_USERS, loadUsersFile } from './fixtures.js';
import { GrantStore } from './grants.js';
import { deriveOpenid, deriveUnionid } from './ids.js';
import { createKnobs, type KnobController, type KnobsPatch } from './knobs.js';
import { LoginSessions } from './login-sessions.js';
import { miniProgramRoutes } from './mini-program-routes.js';
import { MiniProgramState } from './mini-program-state.js';
import { issueCode, phoneAction, type IssueCodeInput, type PhoneActionInput, type PhoneActionResult } from './phone.js';
import { snsRoutes } from './sns-routes.js';

export interface WechatEmulatorOptions {
  /** Default: one website app and one Official Account under one open-platform account (see fixtures.ts). */
  apps?: EmulatorAppInput[];
  /** Default: the emoji-nicknamed users of fixtures.ts. */
  users?: EmulatorUser[];
  /** JSON file with users (an array, or `{ "users": [...] }`); replaces `users`. */
  usersFile?: string;
  /** Initial knob values; `knobs.reset()` returns to them. */
  knobs?: KnobsPatch;
  /** Base time source in ms (default `Date.now`); `clock.advance` adds to it. */
  now?: () => number;
  /** Secret for deriving openids/unionids; same seed, same ids across restarts. */
  seed?: string;
  /** Lifetime of user access tokens (`/sns/oauth2/*`) and app access tokens (`stable_token`). Default 7200. */
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** How long a QR code / consent page stays usable. Default 300. */
  loginSessionTtlSeconds?: number;
  /** Used when the emulator requests callbacks itself (`perform`). Default global `fetch`. */
  fetch?: CallbackFetch;
}

export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:53124`, no trailing slash. */
  url: string;
  port: number;
  /** Stops accepting connections and drops open ones. */
  close(): Promise<void>;
}

export interface WechatEmulator {
  /** The Koa app, for mounting or `app.callback()`. */
  readonly app: Koa;
  readonly apps: readonly EmulatorApp[];
  readonly users: readonly EmulatorUser[];
  readonly knobs: KnobController;
  readonly clock: EmulatorClock;
  /** Listens on `port` (default 0 = ephemeral) and `host` (default 127.0.0.1). */
  listen(port?: number, host?: string): Promise<RunningEmulator>;
  /** Acts as the phone; same as `POST /__emulator/confirm`. Throws `PhoneActionError`. */
  phone(input: PhoneActionInput): Promise<PhoneActionResult>;
  /**
   * Mints a code for `user`: an OAuth code approving `appid` (skipping the pages), or with
   * `kind` a Mini Program `wx.login()` or phone-number code. Throws `PhoneActionError`.
   */
  issueCode(input: IssueCodeInput): string;
  /** The latest `session_key` handed out for `user` in the Mini Program `appid` (to check it never leaks). */
  sessionKeyFor(appid: string, user: string): string | undefined;
  /** API calls per endpoint since construction or `reset()` (also in `GET /__emulator`). */
  calls(): CallCounts;
  /** The openid `user` has in `appid` (the real one, not a snapshot user's). */
  openidFor(appid: string, user: string): string;
  /** The unionid `user` has through `appid`'s open-platform account, if it has one. */
  unionidFor(appid: string, user: string): string | undefined;
  /** Forgets codes, tokens, session keys and sessions; resets knobs, call counters and the clock offset. */
  reset(): void;
}

/**
 * A WeChat emulator for development and tests: website QR, Official Account and Mini Program
 * endpoints with WeChat's URLs, parameters, errcodes (HTTP 200 + errcode), single-use codes and
 * expiries, plus the `/__emulator` control API. Call `listen()` to serve it; nothing is shared
 * between two emulators. Never for production: it issues codes for any configured test user.
 */
export function createWechatEmulator(options: WechatEmulatorOptions = {}): WechatEmulator {
  const apps = (options.apps ?? [...DEFAULT_APPS]).map(normalizeApp);
  const users = options.usersFile ? loadUsersFile(options.usersFile) : [...(options.users ?? DEFAULT_USERS)];
  const clock = createClock(options.now);
  const context: EmulatorContext = {
    apps: uniqueMap(apps, (app) => app.appid, 'appid'),
    users: uniqueMap(users, (user) => user.key, 'user key'),
    knobs: createKnobs(options.knobs),
    clock,
    grants: new GrantStore(clock, {
      accessTokenSeconds: options.accessTokenTtlSeconds ?? ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenSeconds: options.refreshTokenTtlSeconds ?? REFRESH_TOKEN_TTL_SECONDS,
    }),
    sessions: new LoginSessions(clock, options.loginSessionTtlSeconds ?? LOGIN_SESSION_TTL_SECONDS),
    miniProgram: new MiniProgramState(clock, options.accessTokenTtlSeconds ?? ACCESS_TOKEN_TTL_SECONDS),
    calls: new CallCounters(),
    seed: options.seed ?? 'koa-auth-wechat-emulator',
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
  };

  const reset = () => {
    context.grants.clear();
    context.sessions.clear();
    context.miniProgram.clear();
    context.calls.reset();
    context.knobs.reset();
    clock.reset();
  };

  const app = new Koa();
  for (const router of [snsRoutes(context), miniProgramRoutes(context), connectRoutes(context), controlRoutes(context, reset)]) {
    app.use(router.routes()).use(router.allowedMethods());
  }

  return {
    app,
    apps,
    users,
    knobs: context.knobs,
    clock,
    listen: (port = 0, host = '127.0.0.1') => listen(app, port, host),
    phone: (input) => phoneAction(context, input),
    issueCode: (input) => issueCode(context, input),
    sessionKeyFor: (appid, user) => context.miniProgram.sessionKeyFor(appid, user),
    calls: () => context.calls.get(),
    openidFor: (appid, user) => deriveOpenid(context.seed, appid, user),
    unionidFor(appid, user) {
      const openPlatformId = context.apps.get(appid)?.openPlatformId;
      return openPlatformId ? deriveUnionid(context.seed, openPlatformId, user) : undefined;
    },
    reset,
  };
}

function uniqueMap<T>(items: readonly T[], key: (item: T) => string, what: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    if (map.has(key(item))) throw new TypeError(`WeChat emulator: duplicate ${what} "${key(item)}"`);
    map.set(key(item), item);
  }
  return map;
}

function listen(app: Koa, port: number, host: string): Promise<RunningEmulator> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${urlHost}:${actualPort}`,
        port: actualPort,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Keep-alive sockets (e.g. from fetch) would otherwise hold close() open.
            server.closeAllConnections();
          }),
      });
    });
  });
}
