import type { Auth } from './auth.js';
import type { AuthRequest } from './backends/auth-backend.js';
import { markBackend } from './backends/backend-of.js';
import { cleanseCredentials } from './backends/sensitive.js';
import { PermissionDenied } from './errors.js';
import type { AbstractUser } from './models/abstract-user.js';

/**
 * Django's authenticate(): each backend whose credential shape matches is tried in order; the
 * first user returned wins and is marked with the backend's name; a backend throwing
 * PermissionDenied stops the chain. A failure emits userLoginFailed with masked credentials.
 */
export async function authenticate<U extends AbstractUser>(auth: Auth<U>, request: AuthRequest | null, credentials: unknown): Promise<U | null> {
  for (const backend of auth.backends) {
    if (!backend.accepts(credentials)) continue;
    let user: U | null;
    try {
      user = await backend.authenticate(auth, request, credentials);
    } catch (error) {
      if (error instanceof PermissionDenied) break;
      throw error;
    }
    if (user) return markBackend(user, backend.name);
  }
  await auth.events.emit('userLoginFailed', { credentials: cleanseCredentials(credentials), request });
  return null;
}
