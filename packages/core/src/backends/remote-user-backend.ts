import type { Auth } from '../auth.js';
import type { AbstractUser } from '../models/abstract-user.js';
import { ValidationError } from '../errors.js';
import type { AuthRequest } from './auth-backend.js';
import { UserTableBackend } from './user-table-backend.js';

/** A user name vouched for by a trusted proxy (e.g. the REMOTE_USER header after SSO). */
export interface RemoteUserCredentials {
  remoteUser: string;
}

export interface RemoteUserBackendOptions {
  /** Create a user on first sight of an unknown remote user. Default true (as Django). */
  createUnknownUser?: boolean;
  /** Map the header value to a username (e.g. strip a realm). Default: unchanged. */
  cleanUsername?(remoteUser: string): string;
  /** Adjust a user after lookup or creation (Django's configure_user). */
  configureUser?(request: AuthRequest | null, user: AbstractUser, created: boolean): Promise<void> | void;
}

/**
 * Django's RemoteUserBackend: trusts an identity established upstream, so no password is
 * checked. Only put it behind a proxy that strips the header from client requests. Created
 * users get an unusable password.
 */
export class RemoteUserBackend<U extends AbstractUser = AbstractUser> extends UserTableBackend<RemoteUserCredentials, U> {
  readonly name: string = 'RemoteUserBackend';

  constructor(private readonly options: RemoteUserBackendOptions = {}) {
    super();
  }

  /** True for `{ remoteUser }` with a non-empty string. */
  accepts(credentials: unknown): credentials is RemoteUserCredentials {
    if (typeof credentials !== 'object' || credentials === null) return false;
    const value = (credentials as Record<string, unknown>).remoteUser;
    return typeof value === 'string' && value.length > 0;
  }

  /**
   * Django's clean_username: the username a header value stands for (the `cleanUsername`
   * option, else unchanged). The remote-user middleware compares the logged-in user with it.
   */
  cleanUsername(remoteUser: string): string {
    return this.options.cleanUsername ? this.options.cleanUsername(remoteUser) : remoteUser;
  }

  /**
   * The user named by the cleaned `remoteUser` (no password checked), created with an unusable
   * password on first sight unless `createUnknownUser` is false (a concurrent creation of the same
   * name is tolerated), then passed to `configureUser`. Null for an empty name, an unknown user
   * that is not created, or an inactive user (except in AllowAllUsersRemoteUserBackend).
   */
  async authenticate(auth: Auth<U>, request: AuthRequest | null, credentials: RemoteUserCredentials): Promise<U | null> {
    const username = this.cleanUsername(credentials.remoteUser);
    if (!username) return null;
    let user = await auth.users.getByNaturalKey(username);
    let created = false;
    if (!user && this.options.createUnknownUser !== false) {
      try {
        user = await auth.users.createUser({ [auth.userModel.USERNAME_FIELD]: username, password: null, accountType: 'remote' });
        created = true;
      } catch (error) {
        // Another request created the same user first: use that one.
        if (!(error instanceof ValidationError && error.fields[auth.userModel.USERNAME_FIELD]?.[0]?.code === 'unique')) throw error;
        user = await auth.users.getByNaturalKey(username);
      }
    }
    if (!user) return null;
    await this.options.configureUser?.(request, user, created);
    return this.userCanAuthenticate(user) ? user : null;
  }
}

/**
 * Django's AllowAllUsersRemoteUserBackend: like RemoteUserBackend, but inactive users are
 * logged in (and their sessions keep loading) too.
 */
export class AllowAllUsersRemoteUserBackend<U extends AbstractUser = AbstractUser> extends RemoteUserBackend<U> {
  override readonly name: string = 'AllowAllUsersRemoteUserBackend';

  protected override userCanAuthenticate(): boolean {
    return true;
  }
}
