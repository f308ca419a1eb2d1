/**
 * The user of a request that is not logged in (Django's AnonymousUser): same shape as a user
 * for the fields guards and templates read, never authenticated, never any permission.
 */
export class AnonymousUser {
  readonly id = null;
  readonly username = '';
  readonly isActive = false;
  readonly isStaff = false;
  readonly isSuperuser = false;
  readonly isAuthenticated = false as const;
  readonly isAnonymous = true as const;

  getUsername(): string {
    return '';
  }

  toJSON(): { id: null; isAuthenticated: false; isAnonymous: true } {
    return { id: null, isAuthenticated: false, isAnonymous: true };
  }
}

/** One shared instance: it holds no state, so every anonymous request can use it. */
export const anonymousUser = new AnonymousUser();
