import type { Auth } from '../auth.js';
import type { AbstractUser } from '../models/abstract-user.js';
import type { AuthRequest } from './auth-backend.js';
import { UserTableBackend } from './user-table-backend.js';

/** Username (or the model's USERNAME_FIELD) and password. */
export interface PasswordCredentials {
  username?: string;
  email?: string;
  phone?: string;
  password: string;
}

/**
 * Django's ModelBackend: USERNAME_FIELD + password against the user table, and permissions
 * from the database (see UserTableBackend). An unknown user still costs one hash computation,
 * so timing does not reveal who exists.
 */
export class ModelBackend<U extends AbstractUser = AbstractUser> extends UserTableBackend<PasswordCredentials, U> {
  readonly name: string = 'ModelBackend';

  /** True for `{ password, username | email | phone }` (strings) without an `identifier` key (that shape is MixedLoginBackend's). */
  accepts(credentials: unknown): credentials is PasswordCredentials {
    if (typeof credentials !== 'object' || credentials === null) return false;
    const c = credentials as Record<string, unknown>;
    const id = c.username ?? c.email ?? c.phone;
    return typeof c.password === 'string' && typeof id === 'string' && !('identifier' in c);
  }

  /**
   * The active user whose USERNAME_FIELD matches (compared as logins compare it) and whose
   * password checks out, else null. An unknown user costs one hash as well (timing); a correct
   * password under an outdated hasher is re-hashed on the way.
   */
  async authenticate(auth: Auth<U>, _request: AuthRequest | null, credentials: PasswordCredentials): Promise<U | null> {
    const field = auth.userModel.USERNAME_FIELD;
    const value = credentials[field] ?? credentials.username;
    const user = typeof value === 'string' ? await auth.users.getByNaturalKey(value) : null;
    return this.checkCredentials(auth, user, credentials.password);
  }
}
