import type { Unsubscribable } from '@trpc/server/observable';
import { AuthClientAbortError, type AuthClientError } from '../errors/auth-client-error.js';
import { toAuthClientError } from '../errors/to-auth-client-error.js';
import type { WechatStatusView } from './wechat-types.js';

const FINAL = new Set(['confirmed', 'denied', 'expired', 'error']);
// Failures worth another try on the next poll; anything else (forbidden, validation) is final.
const TRANSIENT = new Set(['network', 'unavailable', 'server', 'throttled']);

/** Callbacks of a status subscription, the subset of tRPC's subscription observer used here. */
export interface StatusHandlers {
  onData(view: WechatStatusView): void;
  onError(error: unknown): void;
  onComplete(): void;
  onConnectionStateChange(state: { state: 'idle' | 'connecting' | 'pending' }): void;
}

export interface WaitOptions {
  /** Subscribes to `wechat.onStatus`. */
  subscribe(handlers: StatusHandlers, signal: AbortSignal): Unsubscribable;
  /** Calls `wechat.status`. */
  poll(signal: AbortSignal): Promise<WechatStatusView>;
  /** Poll period while the subscription is not connected. */
  pollIntervalMs: number;
  /** Give up (as expired) this long from now if nothing final was heard: a backstop only. */
  deadlineMs: number;
  signal?: AbortSignal | undefined;
  onStatus?: ((status: WechatStatusView) => void) | undefined;
}

/** How the wait ended: a final status, or a failure of the calls (abort included). */
export type Decision = { view: WechatStatusView } | { error: AuthClientError } | { timedOut: true; lastError?: AuthClientError };

/**
 * Waits for a QR login's final status. The subscription pushes changes; while it is not
 * connected — still connecting, reconnecting, failed or ended early, e.g. behind a proxy that
 * buffers event streams — `wechat.status` is polled every `pollIntervalMs`. Everything is torn
 * down (subscription closed, in-flight poll aborted) before the promise settles.
 */
export function waitForDecision(options: WaitOptions): Promise<Decision> {
  return new Promise<Decision>((resolve) => {
    const inner = new AbortController();
    let connected = false;
    let lastStatus: string | undefined;
    let lastError: AuthClientError | undefined;
    let polling = false;
    let subscription: Unsubscribable | null = null;

    const finish = (decision: Decision) => {
      if (inner.signal.aborted) return;
      inner.abort();
      clearInterval(ticker);
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      subscription?.unsubscribe();
      resolve(decision);
    };
    const onView = (view: WechatStatusView) => {
      if (inner.signal.aborted) return;
      if (view.status !== lastStatus) {
        lastStatus = view.status;
        options.onStatus?.(view);
      }
      if (FINAL.has(view.status)) finish({ view });
    };
    const poll = async () => {
      if (polling || inner.signal.aborted) return;
      polling = true;
      try {
        onView(await options.poll(inner.signal));
        lastError = undefined;
      } catch (e) {
        const error = toAuthClientError(e);
        if (inner.signal.aborted) return;
        if (TRANSIENT.has(error.code)) lastError = error;
        else finish({ error });
      } finally {
        polling = false;
      }
    };
    const onAbort = () => finish({ error: new AuthClientAbortError(options.signal?.reason) });

    const ticker = setInterval(() => {
      if (!connected) void poll();
    }, options.pollIntervalMs);
    const deadline = setTimeout(() => finish({ timedOut: true, ...(lastError && { lastError }) }), options.deadlineMs);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const fallBack = () => {
      connected = false;
      void poll();
    };
    subscription = options.subscribe(
      {
        onData: onView,
        onError: fallBack,
        onComplete: () => {
          if (!inner.signal.aborted) fallBack();
        },
        onConnectionStateChange: ({ state }) => {
          connected = state === 'pending';
        },
      },
      inner.signal,
    );
    // If finish() ran while subscribing (an immediate final status), close what subscribe returned.
    if (inner.signal.aborted) subscription.unsubscribe();
  });
}
