/**
 * WORKAROUND for @koa-auth/koa (reported, not fixed here): its guards (`loginRequired`,
 * `permissionRequired`, `userPassesTest`) and `requestUser` read `ctx.state.getUser` and call
 * it detached, but authMiddleware's AuthState defines `getUser` on its prototype and needs its
 * `this` ("Cannot read properties of undefined (reading '_user')"). The package's guard tests
 * use a stand-in state whose getUser is a closure, so they pass. Giving each request's state an
 * own, bound `getUser` makes the real state behave like the stand-in. Must come right after
 * authMiddleware (which creates the state). Remove once the package binds it itself.
 */
import type { KoaMiddleware } from './koa.js';

export function bindAuthStateMethods(): KoaMiddleware {
  return (ctx, next) => {
    const state = ctx.state as { getUser?: unknown };
    if (typeof state.getUser === 'function' && !Object.hasOwn(state, 'getUser')) {
      state.getUser = (state.getUser as () => unknown).bind(state);
    }
    return next();
  };
}
