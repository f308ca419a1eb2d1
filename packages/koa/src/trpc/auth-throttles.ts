import type { KeyValueStore } from '@koa-auth/core';
import { ActionThrottle, type ActionThrottleLimits } from '../throttle/action-throttle.js';
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
}

const HOUR = 60 * 60;
const DEFAULTS: Required<{ [K in keyof AuthRouterLimits]: ActionThrottleLimits }> = {
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
  const built = new WeakMap<KeyValueStore, AuthThrottles>();
  return (store) => {
    let throttles = built.get(store);
    if (!throttles) {
      throttles = {
        login: login === false ? null : (login ?? new LoginThrottle({ store })),
        register: action(store, 'register', limits.register),
        passwordReset: action(store, 'password-reset', limits.passwordReset),
      };
      built.set(store, throttles);
    }
    return throttles;
  };
}

function action(store: KeyValueStore, name: 'register' | 'password-reset', given: ActionThrottleLimits | false | undefined): ActionThrottle | null {
  if (given === false) return null;
  const defaults = DEFAULTS[name === 'register' ? 'register' : 'passwordReset'];
  return new ActionThrottle({
    store,
    name,
    perAddress: merge(defaults.perAddress, given?.perAddress),
    perTarget: merge(defaults.perTarget, given?.perTarget),
  });
}

/** Field-wise `given` over `defaults`; undefined when neither says anything (scope not limited). */
function merge(defaults: ThrottleLimit | undefined, given: ThrottleLimit | undefined): ThrottleLimit | undefined {
  if (!defaults && !given) return undefined;
  const defined = Object.fromEntries(Object.entries(given ?? {}).filter(([, value]) => value !== undefined));
  return { ...defaults, ...defined };
}
