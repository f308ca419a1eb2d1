import { createTRPCClient, getUntypedClient, type TRPCClient, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import type { AuthInput, AuthUser, DefaultAppRouter, LoginInput } from './app-router.js';
import type { AuthClientOptions, AuthMode } from './client-options.js';
import { hasDocument, isAbsoluteUrl, nativeEventSource } from './environment.js';
import { toAuthClientError } from './errors/to-auth-client-error.js';
import { bearerLink } from './links/bearer-link.js';
import { INTERNAL } from './links/context-keys.js';
import { errorLink } from './links/error-link.js';
import { DEFAULT_MAX_BATCH_ITEMS, transportLink } from './links/transport-link.js';
import { requestHeaders } from './request-headers.js';
import { TokenManager } from './tokens/token-manager.js';
import type { TokenPair, TokenPairLike } from './tokens/token-pair.js';
import { memoryTokenStorage } from './tokens/token-storage.js';
import { loginWithWechat, type WechatLoginOptions } from './wechat/login-with-wechat.js';

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
  /** WeChat QR login (or binding); see WechatLoginOptions. Resolves to the logged-in user. */
  loginWithWechat(options: WechatLoginOptions): Promise<AuthUser<TRouter>>;
  /** Bearer mode: the stored pair, or null (always null in cookie mode). */
  getTokens(): Promise<TokenPair | null>;
  /** Bearer mode: store a pair obtained elsewhere, or forget it (null). Throws in cookie mode. */
  setTokens(pair: TokenPairLike | null): Promise<void>;
  /** Bearer mode: listen for the session ending on its own; returns the unsubscribe function. */
  onSessionExpired(listener: () => void): () => void;
}

/**
 * The typed procedures of TRouter (`client.auth.me.query()`) plus the helpers. Router keys
 * named like a helper are reachable through `client.trpc`.
 */
export type AuthClient<TRouter extends AnyRouter = DefaultAppRouter> = AuthClientHelpers<TRouter> &
  Omit<TRPCClient<TRouter>, keyof AuthClientHelpers<TRouter>>;

/**
 * A koa-auth client, typed by the server's router (type-only import, nothing of the server is
 * bundled). Every call's error is an AuthClientError (a TRPCClientError subclass).
 *
 * ```ts
 * const client = createAuthClient({ mode: 'cookie' });          // browser, same site
 * await client.auth.login.mutate({ identifier, password });
 * const me = await client.auth.me.query();
 * ```
 */
export function createAuthClient<TRouter extends AnyRouter = DefaultAppRouter>(options: AuthClientOptions): AuthClient<TRouter> {
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

  const links: TRPCLink<AnyRouter>[] = [errorLink()];
  if (tokens) links.push(bearerLink(tokens));
  links.push(
    transportLink({
      url,
      credentials: mode === 'cookie' ? 'include' : 'omit',
      fetch: options.fetch,
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
  // The helpers speak the default routers' procedures; TRouter is expected to contain them.
  const api = trpc as unknown as TRPCClient<DefaultAppRouter>;

  const helpers: AuthClientHelpers<TRouter> = {
    mode,
    trpc,
    async login(input) {
      return guard(async () => {
        const { identifier, password, device } = input as AuthInput<DefaultAppRouter, 'token'>;
        if (mode === 'cookie') return (await api.auth.login.mutate({ identifier, password })) as AuthUser<TRouter>;
        await api.auth.token.mutate({ identifier, password, ...(device !== undefined && { device }) });
        const user = await api.auth.me.query();
        if (!user) throw new Error('Logged in, but auth.me sees no user.');
        return user as AuthUser<TRouter>;
      });
    },
    async logout() {
      await guard(() => api.auth.logout.mutate());
    },
    async loginWithWechat(wechatOptions) {
      return (await loginWithWechat(api, mode === 'bearer', wechatOptions)) as AuthUser<TRouter>;
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

  // Helpers first, then the procedures: a Proxy because tRPC's client is itself a Proxy
  // whose keys cannot be enumerated or spread.
  return new Proxy(helpers, {
    get(target, key, receiver) {
      if (key in target) return Reflect.get(target, key, receiver);
      return (trpc as Record<PropertyKey, unknown>)[key];
    },
  }) as AuthClient<TRouter>;
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toAuthClientError(error);
  }
}
