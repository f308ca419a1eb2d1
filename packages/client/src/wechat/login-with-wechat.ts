import { AuthClientAbortError, type AuthClientError } from '../errors/auth-client-error.js';
import { toAuthClientError } from '../errors/to-auth-client-error.js';
import { WechatLoginDenied, WechatLoginExpired, WechatLoginFailed } from '../errors/wechat-errors.js';
import { waitForDecision } from './wait-for-decision.js';
import { BROWSER_KEY } from '../links/context-keys.js';
import type { WechatCalls } from './wechat-calls.js';
import type { WechatLoginMode, WechatLoginRef, WechatStatusView } from './wechat-types.js';

/** What `onQrCode` gets: show `qrUrl` (WeChat's QR page) in an iframe, a new window, or as a link. */
export interface WechatQrCode {
  qrUrl: string;
  state: string;
  /** When WeChat stops accepting the code (server time). */
  expiresAt: Date;
}

export interface WechatLoginOptions {
  /** Called once the login has started; the flow waits for it if it returns a promise. */
  onQrCode(qr: WechatQrCode): void | Promise<void>;
  /** Cancels the login: closes the status stream, aborts calls, rejects with an AbortError. */
  signal?: AbortSignal;
  /** `login` (default) or `bind`: link WeChat to the user logged in now. */
  mode?: WechatLoginMode;
  /** Hears each status change (`pending`, …) before the final one. */
  onStatus?(status: WechatStatusView): void;
  /** Poll period while the status stream is not connected. Default 1500 ms. */
  pollIntervalMs?: number;
}

// Beyond the QR code's expiry, wait this much for the server's own verdict before giving up.
const DEADLINE_GRACE_MS = 30_000;

/**
 * The WeChat QR login flow over `wechat.*`: start → `onQrCode` → wait for the phone (status
 * stream, polling as fallback) → `wechat.complete` (which logs the session in, or returns the
 * pair the bearer link stores) → `auth.me`, whose user it resolves to.
 *
 * Rejects with WechatLoginDenied, WechatLoginExpired, WechatLoginFailed, or an
 * AuthClientAbortError (`name === 'AbortError'`) when `signal` fires.
 */
export async function loginWithWechat(api: WechatCalls, bearer: boolean, options: WechatLoginOptions): Promise<unknown> {
  const { signal } = options;
  const call = { ...(signal && { signal }) };
  if (signal?.aborted) throw new AuthClientAbortError(signal.reason);
  const mode = options.mode ?? 'login';
  const started = await step(api.start({ mode, ...(bearer && { bearer: true }) }, call));
  // The browser key (bearer mode) travels in a header, never in the (logged) URL of a GET.
  const ref: WechatLoginRef = { state: started.state };
  const keyed = { ...call, ...(started.browserKey !== undefined && { context: { [BROWSER_KEY]: started.browserKey } }) };
  // The caller's own errors are theirs: not wrapped.
  await options.onQrCode({ qrUrl: started.qrUrl, state: started.state, expiresAt: new Date(started.expiresAt) });

  const decision = await waitForDecision({
    subscribe: (handlers, inner) => api.onStatus(ref, handlers, { signal: inner, ...(keyed.context && { context: keyed.context }) }),
    poll: (inner) => api.status(ref, { signal: inner, ...(keyed.context && { context: keyed.context }) }),
    pollIntervalMs: options.pollIntervalMs ?? 1500,
    deadlineMs: Math.max(0, Date.parse(started.expiresAt) - Date.now()) + DEADLINE_GRACE_MS,
    signal,
    onStatus: options.onStatus,
  });
  if ('error' in decision) throw failure(decision.error);
  if ('timedOut' in decision) throw decision.lastError ? new WechatLoginFailed(undefined, decision.lastError) : new WechatLoginExpired();
  const { view } = decision;
  if (view.status === 'denied') throw new WechatLoginDenied(view.reason);
  if (view.status === 'expired') throw new WechatLoginExpired();
  if (view.status !== 'confirmed') throw new WechatLoginFailed(view.reason);

  await step(api.complete(ref, keyed));
  const user = await step(api.me(call));
  if (!user) throw new WechatLoginFailed({ code: 'not_logged_in', message: 'The WeChat login finished, but the server sees no logged-in user.' });
  return user;
}

/** A call of the flow, its failure reported as WechatLoginFailed (aborts stay AbortErrors). */
async function step<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (e) {
    throw failure(toAuthClientError(e));
  }
}

function failure(error: AuthClientError): AuthClientError {
  return error.code === 'aborted' ? error : new WechatLoginFailed(undefined, error);
}
