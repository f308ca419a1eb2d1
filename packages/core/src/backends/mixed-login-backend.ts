import type { Auth } from '../auth.js';
import type { AbstractUser } from '../models/abstract-user.js';
import type { AuthRequest } from './auth-backend.js';
import { UserTableBackend } from './user-table-backend.js';

/** One identifier (username, email or phone number in any common format) and a password. */
export interface IdentifierCredentials {
  identifier: string;
  password: string;
}

const MAX_IDENTIFIER = 254;

/**
 * Login with one identifier field and a password: the identifier is tried as what
 * classifyIdentifier reads it as (an email when it has an '@', a phone number in E.164 of the
 * configured region when it parses as one), and as a username otherwise or when that finds
 * nobody. Permissions from the database.
 */
export class MixedLoginBackend<U extends AbstractUser = AbstractUser> extends UserTableBackend<IdentifierCredentials, U> {
  readonly name: string = 'MixedLoginBackend';

  /** True for `{ identifier, password }` (both strings). */
  accepts(credentials: unknown): credentials is IdentifierCredentials {
    if (typeof credentials !== 'object' || credentials === null) return false;
    const c = credentials as Record<string, unknown>;
    return typeof c.identifier === 'string' && typeof c.password === 'string';
  }

  /**
   * The active user `identifier` designates (see findUser) whose password checks out, else null.
   * An unknown or over-long identifier costs one hash as well, so timing does not tell them apart.
   */
  async authenticate(auth: Auth<U>, _request: AuthRequest | null, credentials: IdentifierCredentials): Promise<U | null> {
    const user = await this.findUser(auth, credentials.identifier);
    return this.checkCredentials(auth, user, credentials.password);
  }

  /**
   * The user an identifier designates, or null: looked up as what UserManager.classifyIdentifier
   * reads it as (email or phone), and as a username otherwise or when that finds nobody. Each
   * lookup is UserManager.findByIdentifier (emails and, by default, usernames ignore case).
   */
  async findUser(auth: Auth<U>, identifier: string): Promise<U | null> {
    const text = identifier.trim();
    if (text.length === 0 || text.length > MAX_IDENTIFIER) return null;
    const { kind } = auth.users.classifyIdentifier(text);
    const first = kind === 'username' ? null : await auth.users.findByIdentifier(kind, text);
    return first ?? (await auth.users.findByIdentifier('username', text));
  }
}
