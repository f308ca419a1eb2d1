import type { AbstractUser, Auth } from '@koa-auth/core';

/**
 * The credential shape for "identifier + password" with the configured backends: the mixed
 * `{ identifier, password }` when a backend takes it (MixedLoginBackend), else the classic
 * `{ username, password }` that ModelBackend reads through USERNAME_FIELD.
 */
export function loginCredentials(auth: Auth<AbstractUser>, identifier: string, password: string): Record<string, string> {
  const mixed = { identifier, password };
  if (auth.backends.some((backend) => backend.accepts(mixed))) return mixed;
  return { username: identifier, password };
}
