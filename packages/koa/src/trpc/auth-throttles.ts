import type { KeyValueStore } from '@koa-auth/core';
import { ActionThrottle, checkActionThrottleOptions, type ActionThrottleLimits, type ActionThrottleOptions } from '../throttle/action-throttle.js';
import { LoginThrottle } from '../throttle/login-throttle.js';
import type { ThrottleLimit } from '../throttle/throttle-limit.js';

/** Limits of the auth router's flood- and oracle-prone procedures; `false` turns one off (not recommended). */
export interface AuthRouterLimits {
  /** `auth.register`. Default 20 per address per hour. */
  register?: ActionThrottleLimits | false;
  /**
   * `auth.passwordReset.request`. Default per address 20 per hour (then 429), per email 1 per
   * 15 minutes (then the same `{ ok: true }` answer, and no mail).
   */
  passwordReset?: ActionThrottleLimits | false;
  /** Longest wait for the store, in milliseconds (default 2000): slower answers are 503s. */
  timeoutMs?: number;
}

const HOUR = 60 * 60;
const DEFAULTS: Record<'register' | 'passwordReset', ActionThrottleLimits> = {
  register: { perAddress: { points: 20, durationSeconds: HOUR, blockSeconds: 0 } },
  passwordReset: {
    perAddress: { points: 20, durationSeconds: HOUR, blockSeconds: 0 },
    perTarget: { points: 1, durationSeconds: 15 * 60, blockSeconds: 0 },
  },
};

/** The throttles of one auth router on one store. */
export interface AuthThrottles {
  login: LoginThrottle | null;
  register: ActionThrottle | null;
  passwordReset: ActionThrottle | null;
}

/**
 * The auth router's throttles, built on first use from the request's `auth.store` (one set per
 * store, so a router serving several auths keeps their counts apart): the given LoginThrottle
 * or one with the default limits, and the ActionThrottles of `limits` over their defaults.
 */
export function authThrottles(login: LoginThrottle | false | undefined, limits: AuthRouterLimits = {}): (store: KeyValueStore) => AuthThrottles {
  // Resolved and checked now, so wrong limits fail when the router is built, not on a request.
  const register = actionOptions('register', DEFAULTS.register, limits.register, limits.timeoutMs);
  const passwordReset = actionOptions('password-reset', DEFAULTS.passwordReset, limits.passwordReset, limits.timeoutMs);
  const built = new WeakMap<KeyValueStore, AuthThrottles>();
  return (store) => {
    let throttles = built.get(store);
    if (!throttles) {
      throttles = {
        login: login === false ? null : (login ?? new LoginThrottle({ store })),
        register: register && new ActionThrottle({ store, ...register }),
        passwordReset: passwordReset && new ActionThrottle({ store, ...passwordReset }),
      };
      built.set(store, throttles);
    }
    return throttles;
  };
}

function actionOptions(
  name: string,
  defaults: ActionThrottleLimits,
  given: ActionThrottleLimits | false | undefined,
  timeoutMs: number | undefined,
): Omit<ActionThrottleOptions, 'store'> | null {
  if (given === false) return null;
  const options = {
    name,
    perAddress: merge(defaults.perAddress, given?.perAddress),
    perTarget: merge(defaults.perTarget, given?.perTarget),
    ...(timeoutMs !== undefined && { timeoutMs }),
  };
  checkActionThrottleOptions(options);
  return options;
}

/** Field-wise `given` over `defaults`; undefined when neither says anything (scope not limited). */
function merge(defaults: ThrottleLimit | undefined, given: ThrottleLimit | undefined): ThrottleLimit | undefined {
  if (!defaults && !given) return undefined;
  const defined = Object.fromEntries(Object.entries(given ?? {}).filter(([, value]) => value !== undefined));
  return { ...defaults, ...defined };
}
