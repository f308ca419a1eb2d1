/**
 * Types `ctx.state` in a plain `new Koa()` once `@koa-auth/koa` is imported: Koa's
 * `DefaultState` is augmented with what authMiddleware installs. The user model defaults to
 * core's `User`; an app with its own model names it once:
 *
 * ```ts
 * declare module '@koa-auth/koa' {
 *   interface KoaAuthTypes { user: Customer }
 * }
 * ```
 */
import type { AbstractUser, AnonymousUser, Auth, User } from '@koa-auth/core';

/** Augment with `{ user: YourUserModel }` to type `ctx.state.user` as your model. */
// biome-ignore lint/suspicious/noEmptyInterface: declared empty so apps can augment it (a type alias cannot be merged)
export interface KoaAuthTypes {}

/** The app's user model: `KoaAuthTypes['user']` when augmented, otherwise core's `User`. */
export type AppUser = KoaAuthTypes extends { user: infer U extends AbstractUser } ? U : User;

declare module 'koa' {
  interface DefaultState {
    /** The request's user or the anonymous user, loaded on first ask (await it). Set by authMiddleware. */
    readonly user: Promise<AppUser | AnonymousUser>;
    /** Same as `user`, as a method: resolved once per request. */
    getUser(): Promise<AppUser | AnonymousUser>;
    /** The auth object given to authMiddleware. */
    readonly auth: Auth<AppUser>;
  }
}
