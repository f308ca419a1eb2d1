import { createTRPCClient, getUntypedClient, type TRPCClient, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import type { AuthUser, HasWechat, LoginInput } from './app-router.js';
import type { AuthClientOptions, AuthMode } from './client-options.js';
import { hasDocument, isAbsoluteUrl, nativeEventSource } from './environment.js';
import { toAuthClientError } from './errors/to-auth-client-error.js';
import { bearerLink } from './links/bearer-link.js';
import { cookieJarFetch } from './links/cookie-jar.js';
import { INTERNAL } from './links/context-keys.js';
import { errorLink } from './links/error-link.js';
import { DEFAULT_MAX_BATCH_ITEMS, transportLink } from './links/transport-link.js';
import { requestHeaders } from './request-headers.js';
import { TokenManager } from './tokens/token-manager.js';
import type { TokenPair, TokenPairLike } from './tokens/token-pair.js';
import { memoryTokenStorage } from './tokens/token-storage.js';
import { loginWithWechat, type WechatLoginOptions } from './wechat/login-with-wechat.js';
import { miniProgramLogin, type MiniProgramLoginAnswer, type MiniProgramLoginOptions } from './wechat/mini-program-login.js';
import { wechatCalls } from './wechat/wechat-calls.js';

/** What createAuthClient adds next to the procedures. Every method rejects with AuthClientError. */
export interface AuthClientHelpers<TRouter extends AnyRouter> {
  readonly mode: AuthMode;
  /** The plain typed tRPC client (also spread onto the AuthClient itself). */
  readonly trpc: TRPCClient<TRouter>;
  /**
   * Log in with identifier + password and resolve to the user: `auth.login` in cookie mode;
   * `auth.token` (the pair is stored) then `auth.me` in bearer mode.
   */
  login(input: LoginInput<TRouter>): Promise<AuthUser<TRouter>>;
  /** `auth.logout`. Bearer mode drops the tokens even when the call fails. */
  logout(): Promise<void>;
  /** Bearer mode: the stored pair, or null (always null in cookie mode). */
  getTokens(): Promise<TokenPair | null>;
  /** Bearer mode: store a pair obtained elsewhere, or forget it (null). Throws in cookie mode. */
  setTokens(pair: TokenPairLike | null): Promise<void>;
  /** Bearer mode: listen for the session ending on its own; returns the unsubscribe function. */
  onSessionExpired(listener: () => void): () => void;
}

/** The WeChat helper, present when the app's router mounts `wechat` (createWechatRouter). */
export interface AuthClientWechatHelpers<TRouter extends AnyRouter> {
  /** WeChat QR login (or binding); see WechatLoginOptions. Resolves to the logged-in user. */
  loginWithWechat(options: WechatLoginOptions): Promise<AuthUser<TRouter>>;
}

/**
 * The Mini Program helper, beside the `wechat.*` procedures when TRouter has `wechat`:
 * `client.wechat.miniProgram.login(code)` (bearer mode) stores the pair like `login` does and
 * resolves to `{ user, created }`; `client.wechat.miniProgram.login.mutate(…)` still works.
 */
export interface AuthClientMiniProgramHelpers<TRouter extends AnyRouter> {
  wechat: {
    miniProgram: {
      login(code: string, options?: MiniProgramLoginOptions): Promise<MiniProgramLoginAnswer<AuthUser<TRouter>>>;
    };
  };
}

/** Every helper of a client for TRouter: the WeChat one only when TRouter has `wechat`. */
export type AuthClientAllHelpers<TRouter extends AnyRouter> = AuthClientHelpers<TRouter> &
  (HasWechat<TRouter> extends true ? AuthClientWechatHelpers<TRouter> : unknown);

/**
 * The typed procedures of TRouter (`client.auth.me.query()`) plus the helpers. Router keys
 * named like a helper are reachable through `client.trpc`.
 */
export type AuthClient<TRouter extends AnyRouter = AnyRouter> = AuthClientAllHelpers<TRouter> &
  Omit<TRPCClient<TRouter>, keyof AuthClientAllHelpers<TRouter>> &
  (HasWechat<TRouter> extends true ? AuthClientMiniProgramHelpers<TRouter> : unknown);

/**
 * A koa-auth client, typed by the app's router: pass its type, `createAuthClient<AppRouter>(…)`
 * with `export type AppRouter = typeof appRouter` on the server (a type-only import: nothing of
 * the server is bundled). The router is expected to mount createAuthRouter at `auth` (and
 * createWechatRouter at `wechat` for loginWithWechat). Without a type argument the procedures
 * are untyped. Every call's error is an AuthClientError (a TRPCClientError subclass).
 *
 * ```ts
 * const client = createAuthClient<AppRouter>({ mode: 'cookie' });          // browser, same site
 * await client.auth.login.mutate({ identifier, password });
 * const me = await client.auth.me.query();
 * ```
 */
export function createAuthClient<TRouter extends AnyRouter = AnyRouter>(options: AuthClientOptions): AuthClient<TRouter> {
  const { mode } = options;
  if (mode !== 'cookie' && mode !== 'bearer') throw new TypeError(`createAuthClient: mode must be 'cookie' or 'bearer', not ${String(mode)}.`);
  const url = options.url ?? '/trpc';
  const inBrowser = hasDocument();
  if (!inBrowser && !isAbsoluteUrl(url)) {
    throw new TypeError(`createAuthClient: outside a browser the url must be absolute (got ${JSON.stringify(url)}).`);
  }
  const origin = inBrowser || options.origin === false ? null : (options.origin ?? new URL(url).origin);
  const headerOptions = {
    csrf: mode === 'cookie' ? { cookieName: options.csrf?.cookieName ?? 'csrftoken', headerName: options.csrf?.headerName ?? 'x-csrf-token' } : null,
    origin,
    ...(options.headers && { headers: options.headers }),
  };

  // The manager needs the client (to call auth.refresh) and the client's links need the manager.
  let refreshCall: (refreshToken: string) => Promise<unknown> = () => Promise.reject(new Error('not ready'));
  const tokens =
    mode === 'bearer'
      ? new TokenManager({
          storage: options.storage ?? memoryTokenStorage(),
          refresh: (refreshToken) => refreshCall(refreshToken),
          ...(options.refreshMarginMs !== undefined && { refreshMarginMs: options.refreshMarginMs }),
        })
      : null;
  if (tokens && options.onSessionExpired) tokens.onSessionExpired(options.onSessionExpired);

  // Outside browsers nothing keeps the session cookie: cookie mode brings its own jar (around
  // the caller's fetch, if any), so `login` then `auth.me` just works from Node.
  const fetchImpl = mode === 'cookie' && !inBrowser ? cookieJarFetch(options.fetch ?? ((input, init) => globalThis.fetch(input, init))).fetch : options.fetch;

  const links: TRPCLink<AnyRouter>[] = [errorLink()];
  if (tokens) links.push(bearerLink(tokens));
  links.push(
    transportLink({
      url,
      credentials: mode === 'cookie' ? 'include' : 'omit',
      fetch: fetchImpl,
      headers: (accessToken) => requestHeaders(headerOptions, accessToken),
      subscriptionToken: () => tokens?.accessToken() ?? Promise.resolve(null),
      useNativeEventSource: mode === 'cookie' && inBrowser && !options.fetch && nativeEventSource() !== undefined,
      maxBatchItems: options.maxBatchItems ?? DEFAULT_MAX_BATCH_ITEMS,
    }),
  );
  // The links never look at procedure types: built once for any router, typed for TRouter here.
  const trpc = createTRPCClient<TRouter>({ links: links as unknown as TRPCLink<TRouter>[] });
  const untyped = getUntypedClient(trpc);
  refreshCall = (refreshToken) => untyped.mutation('auth.refresh', { refreshToken }, { context: { [INTERNAL]: true } });

  // The helpers call `auth.*` (and `wechat.*`) by path: TRouter is expected to mount them there.
  const helpers: AuthClientHelpers<TRouter> & AuthClientWechatHelpers<TRouter> = {
    mode,
    trpc,
    async login(input) {
      return guard(async () => {
        const { identifier, password, device } = input as { identifier: string; password: string; device?: string };
        if (mode === 'cookie') return (await untyped.mutation('auth.login', { identifier, password })) as AuthUser<TRouter>;
        await untyped.mutation('auth.token', { identifier, password, ...(device !== undefined && { device }) });
        const user = await untyped.query('auth.me');
        if (!user) throw new Error('Logged in, but auth.me sees no user.');
        return user as AuthUser<TRouter>;
      });
    },
    async logout() {
      await guard(() => untyped.mutation('auth.logout'));
    },
    async loginWithWechat(wechatOptions) {
      return (await loginWithWechat(wechatCalls(untyped), mode === 'bearer', wechatOptions)) as AuthUser<TRouter>;
    },
    async getTokens() {
      return tokens ? tokens.get() : null;
    },
    async setTokens(pair) {
      if (!tokens) throw new TypeError('setTokens: the client is in cookie mode.');
      await tokens.set(pair);
    },
    onSessionExpired(listener) {
      return tokens ? tokens.onSessionExpired(listener) : () => undefined;
    },
  };

  // `client.wechat.miniProgram.login` is both the helper (called) and the procedure (`.mutate`).
  const procedures = trpc as unknown as Record<PropertyKey, Record<PropertyKey, Record<PropertyKey, object>>>;
  const loginHelper = (code: string, loginOptions?: MiniProgramLoginOptions) =>
    mode === 'bearer'
      ? guard(() => miniProgramLogin(untyped, code, loginOptions))
      : Promise.reject(new TypeError("wechat.miniProgram.login needs mode 'bearer': Mini Programs keep no cookies."));
  const wechat = overlay(() => procedures.wechat!, {
    miniProgram: overlay(() => procedures.wechat!.miniProgram!, { login: overlay(() => procedures.wechat!.miniProgram!.login!, loginHelper) }),
  });

  // Helpers first, then the procedures: a Proxy because tRPC's client is itself a Proxy
  // whose keys cannot be enumerated or spread.
  return new Proxy(helpers, {
    get(target, key, receiver) {
      if (key in target) return Reflect.get(target, key, receiver);
      if (key === 'wechat') return wechat;
      return (trpc as Record<PropertyKey, unknown>)[key];
    },
  }) as unknown as AuthClient<TRouter>;
}

/**
 * `own` over a path of the tRPC proxy (read lazily: the proxy builds paths on access). An object
 * keeps its own keys and lends the others to the path; a function is called as itself and lends
 * every property (`mutate`, …) to the path.
 */
function overlay<T extends object>(base: () => object, own: T): T {
  return new Proxy(own, {
    get(target, key, receiver) {
      if (typeof target !== 'function' && key in target) return Reflect.get(target, key, receiver);
      return (base() as Record<PropertyKey, unknown>)[key];
    },
  });
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toAuthClientError(error);
  }
}
