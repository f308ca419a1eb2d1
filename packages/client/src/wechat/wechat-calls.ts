import type { TRPCUntypedClient } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import type { Unsubscribable } from '@trpc/server/observable';
import type { StatusHandlers } from './wait-for-decision.js';
import type { WechatLoginMode, WechatLoginRef, WechatStart, WechatStatusView } from './wechat-types.js';

/** Per-call options: cancellation, and the link context (the bearer-mode browser key). */
export interface CallOptions {
  signal?: AbortSignal;
  context?: Record<string, unknown>;
}

/** The procedures the WeChat flow calls, typed by the wire format (wechat-types.ts). */
export interface WechatCalls {
  start(input: { mode: WechatLoginMode; bearer?: boolean }, options: CallOptions): Promise<WechatStart>;
  status(ref: WechatLoginRef, options: CallOptions): Promise<WechatStatusView>;
  onStatus(ref: WechatLoginRef, handlers: StatusHandlers, options: CallOptions): Unsubscribable;
  complete(ref: WechatLoginRef, options: CallOptions): Promise<unknown>;
  /** `auth.me`: the user, or null. */
  me(options: CallOptions): Promise<unknown>;
}

/**
 * The flow's calls over the untyped client, at the default paths (`wechat.*`, `auth.me`): an
 * app router that mounts them elsewhere fails at run time with WechatLoginFailed (`not_found`).
 */
export function wechatCalls(client: TRPCUntypedClient<AnyRouter>): WechatCalls {
  return {
    start: (input, options) => client.mutation('wechat.start', input, options) as Promise<WechatStart>,
    status: (ref, options) => client.query('wechat.status', ref, options) as Promise<WechatStatusView>,
    onStatus: (ref, handlers, options) =>
      client.subscription('wechat.onStatus', ref, {
        ...options,
        onData: (view) => handlers.onData(view as WechatStatusView),
        onError: handlers.onError,
        onComplete: handlers.onComplete,
        onConnectionStateChange: handlers.onConnectionStateChange,
      }),
    complete: (ref, options) => client.mutation('wechat.complete', ref, options),
    me: (options) => client.query('auth.me', undefined, options),
  };
}
