import type { AbstractUser } from '../models/abstract-user.js';

const BACKEND = Symbol('koa-auth.backend');

/** Record which backend authenticated `user` (Django's `user.backend`), without it ever being saved. */
export function markBackend<U extends AbstractUser>(user: U, name: string): U {
  Object.defineProperty(user, BACKEND, { value: name, enumerable: false, configurable: true, writable: true });
  return user;
}

/** The name of the backend that authenticated or loaded `user`, if known. */
export function backendOf(user: AbstractUser): string | undefined {
  return (user as unknown as { [BACKEND]?: string })[BACKEND];
}
