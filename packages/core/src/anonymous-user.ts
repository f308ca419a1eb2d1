import { AnonymousUserError } from './errors.js';

/**
 * The user of a request that is not logged in (Django's AnonymousUser): same shape as a user
 * for the fields guards and templates read, never authenticated, never any permission, and no
 * database row — every write refuses with AnonymousUserError.
 */
export class AnonymousUser {
  readonly id = null;
  readonly username = '';
  readonly isActive = false;
  readonly isStaff = false;
  readonly isSuperuser = false;
  readonly isAuthenticated = false as const;
  readonly isAnonymous = true as const;

  /** Always '' (Django's AnonymousUser.get_username). */
  getUsername(): string {
    return '';
  }

  /** Always throws AnonymousUserError (Django: NotImplementedError). */
  save(): never {
    throw new AnonymousUserError('save');
  }

  /** Always throws AnonymousUserError. */
  delete(): never {
    throw new AnonymousUserError('delete');
  }

  /** Always throws AnonymousUserError. */
  setPassword(): never {
    throw new AnonymousUserError('set a password');
  }

  /** Always throws AnonymousUserError. */
  checkPassword(): never {
    throw new AnonymousUserError('check a password');
  }

  /** What `JSON.stringify` sends for the anonymous user: no id, not authenticated, nothing else. */
  toJSON(): { id: null; isAuthenticated: false; isAnonymous: true } {
    return { id: null, isAuthenticated: false, isAnonymous: true };
  }
}

/** One shared instance: it holds no state, so every anonymous request can use it. Frozen, so nothing can mutate it. */
export const anonymousUser = Object.freeze(new AnonymousUser());

/**
 * Throws AnonymousUserError when `user` is not a stored user (the anonymous user, or anything
 * without an id): guards every write that takes a user, so no `UPDATE … WHERE id IS NULL` runs.
 */
export function refuseAnonymous(user: unknown, action: string): void {
  const candidate = user as { isAnonymous?: unknown; id?: unknown } | null | undefined;
  if (!candidate || candidate.isAnonymous === true || candidate.id === null || candidate.id === undefined) {
    throw new AnonymousUserError(action);
  }
}
