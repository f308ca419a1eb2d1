import type { KeyValueStore } from '@koa-auth/core';
import { ActionThrottle, checkActionThrottleOptions } from '../throttle/action-throttle.js';
import { userAccount } from '../throttle/login-account.js';
import type { ThrottleLimit } from '../throttle/throttle-limit.js';
import { t } from './trpc.js';

/** Options of {@link throttledAction}; at least one limit. */
export interface ThrottledActionOptions {
  /** Names the action's counters in the store (letters, digits, dashes), e.g. 'profile-update'. */
  name: string;
  /** Calls per client address. */
  perAddress?: ThrottleLimit;
  /** Calls per logged-in user (anonymous callers count per address only). */
  perUser?: ThrottleLimit;
  /** Longest wait for the store, in milliseconds (default 2000); slower means down (503). */
  timeoutMs?: number;
}

/**
 * tRPC middleware for procedures that are floods or existence oracles (a profile update that
 * answers "this phone number is taken"): every call is counted before the procedure runs, per
 * address and per user, with an ActionThrottle on the request's `auth.store`; a used-up count
 * answers TOO_MANY_REQUESTS with Retry-After, whatever the input, so the refusal says nothing
 * about it. Counts whatever the input, valid or not: an input error is an answer too.
 *
 * ```ts
 * update: protectedProcedure.use(throttledAction({ name: 'profile-update', perUser: { points: 30, durationSeconds: 3600 } }))…
 * ```
 */
export function throttledAction(options: ThrottledActionOptions) {
  const limits = {
    name: options.name,
    ...(options.perAddress && { perAddress: options.perAddress }),
    ...(options.perUser && { perTarget: options.perUser }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  };
  // Wrong options fail at start-up, not on the first request.
  checkActionThrottleOptions(limits);
  const throttles = new WeakMap<KeyValueStore, ActionThrottle>();
  const throttleOf = (store: KeyValueStore): ActionThrottle => {
    let throttle = throttles.get(store);
    if (!throttle) {
      throttle = new ActionThrottle({ store, ...limits });
      throttles.set(store, throttle);
    }
    return throttle;
  };
  return t.middleware(async ({ ctx, next }) => {
    const user = options.perUser ? await ctx.getUser() : null;
    const target = user?.isAuthenticated ? userAccount(user) : undefined;
    await throttleOf(ctx.auth.store).hit(ctx.koa.ip, target);
    return next();
  });
}
