/**
 * What a login or refresh hands to the client (OAuth 2 token response fields, camel-cased).
 * The access token goes into `Authorization: Bearer …`; the refresh token is sent only to the
 * refresh endpoint and is single-use: each refresh returns a new pair.
 */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Lifetime of the access token in seconds. */
  expiresIn: number;
  accessExpiresAt: Date;
  refreshExpiresAt: Date;
}

/** What a verified access token says. */
export interface VerifiedAccess {
  userId: string;
  familyId: string;
  /** The backend to load the user through. */
  backend: string;
}

/** A verified access token whose user was loaded and still holds the password the family was issued under. */
export interface AuthenticatedAccess<U> extends VerifiedAccess {
  user: U;
}

/** One live token family of a user, for a "devices" / "active sessions" list. */
export interface TokenFamilyInfo {
  familyId: string;
  backend: string;
  createdAt: Date;
  device?: string;
  ip?: string;
}

/** Facts about the client at login, shown in the devices list. */
export interface IssueMeta {
  /** e.g. the User-Agent or an app-chosen device name (cut to 200 characters). */
  device?: string;
  ip?: string;
}
