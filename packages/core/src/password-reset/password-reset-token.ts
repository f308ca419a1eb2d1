import { ImproperlyConfigured } from '../errors.js';
import { constantTimeEqual } from '../hashers/constant-time.js';
import { saltedHmacHex, type SaltedHmacAlgorithm } from './salted-hmac.js';

/** The user facts a reset token is bound to; changing any of them invalidates outstanding tokens. */
export interface ResetTokenUser {
  id: number | string;
  password: string | null;
  lastLogin: Date | null;
  email: string | null;
}

export type ResetTokenAlgorithm = SaltedHmacAlgorithm;

export interface PasswordResetTokenOptions {
  /** HMAC secret; required and non-empty. */
  secret: string;
  /** Previous secrets still accepted by `checkToken` (Django's SECRET_KEY_FALLBACKS), for rotation. */
  fallbackSecrets?: string[];
  /** How long a token stays valid, in seconds (Django's PASSWORD_RESET_TIMEOUT). Default 3 days. */
  timeoutSeconds?: number;
  /** HMAC digest. Default 'sha256', as Django. */
  algorithm?: ResetTokenAlgorithm;
  /** Clock, for tests. */
  now?: () => Date;
}

const KEY_SALT = 'koa-auth.tokens.PasswordResetTokenGenerator';
/** Tokens count seconds from 2001-01-01T00:00:00Z, as Django's (Django uses local time; UTC is stable). */
const EPOCH_MS = Date.UTC(2001, 0, 1);
const ALGORITHMS: readonly ResetTokenAlgorithm[] = ['sha1', 'sha256', 'sha512'];
/** Django's base36_to_int refuses more than 13 digits; also keeps the value a safe integer here. */
const TIMESTAMP = /^[0-9a-z]{1,13}$/;

/**
 * Django's PasswordResetTokenGenerator. A token is `<timestamp base36>-<hash>`: the timestamp is
 * whole seconds since 2001-01-01 UTC and the hash every other hex digit of
 * salted_hmac('koa-auth.tokens.PasswordResetTokenGenerator', value, secret).
 *
 * `value` is `${id}${password ?? ''}${lastLogin}${timestamp}${email ?? ''}` where `lastLogin` is
 * '' for null, else whole seconds since the Unix epoch as a decimal integer (milliseconds dropped,
 * so a round-trip through a column that keeps milliseconds or truncates them leaves it unchanged;
 * MySQL DATETIME(0) *rounds* instead, so write lastLogin already truncated to the second).
 * A token therefore dies when the password changes (so it is single-use: resetting changes it), at
 * the next login, when the email changes, and after `timeoutSeconds`. Tokens are not stored.
 */
export class PasswordResetTokenGenerator {
  readonly timeoutSeconds: number;
  readonly algorithm: ResetTokenAlgorithm;
  private readonly secrets: readonly string[];
  private readonly now: () => Date;

  /** Throws ImproperlyConfigured on an empty secret or fallback, a bad timeout or an unknown algorithm. */
  constructor({ secret, fallbackSecrets = [], timeoutSeconds = 259_200, algorithm = 'sha256', now = () => new Date() }: PasswordResetTokenOptions) {
    for (const candidate of [secret, ...fallbackSecrets]) {
      if (typeof candidate !== 'string' || candidate.length === 0) {
        throw new ImproperlyConfigured('PasswordResetTokenGenerator: secrets must be non-empty strings.');
      }
    }
    if (!Number.isSafeInteger(timeoutSeconds) || timeoutSeconds < 0) {
      throw new ImproperlyConfigured('PasswordResetTokenGenerator: timeoutSeconds must be a non-negative integer.');
    }
    if (!ALGORITHMS.includes(algorithm)) {
      throw new ImproperlyConfigured(`PasswordResetTokenGenerator: algorithm must be one of ${ALGORITHMS.join(', ')}.`);
    }
    this.secrets = Object.freeze([secret, ...fallbackSecrets]);
    this.timeoutSeconds = timeoutSeconds;
    this.algorithm = algorithm;
    this.now = now;
  }

  /** A token for `user`, signed with the current secret. */
  makeToken(user: ResetTokenUser): string {
    return this.makeTokenWithTimestamp(user, this.currentTimestamp(), this.secrets[0] as string);
  }

  /**
   * True when `token` was made for `user` as it is now, with the secret or a fallback, and is no
   * older than the timeout (nor further in the future than the timeout). False for anything
   * else, including values that are not tokens at all; never throws.
   */
  checkToken(user: ResetTokenUser | null | undefined, token: unknown): boolean {
    if (!user || typeof token !== 'string' || token.length === 0) return false;
    const parts = token.split('-');
    if (parts.length !== 2) return false;
    const [timestampText] = parts as [string, string];
    if (!TIMESTAMP.test(timestampText)) return false;
    const timestamp = Number.parseInt(timestampText, 36);
    if (!Number.isSafeInteger(timestamp)) return false;

    let matched = false;
    try {
      // Check every secret even after a match, so timing does not tell which one signed it.
      for (const secret of this.secrets) {
        if (constantTimeEqual(this.makeTokenWithTimestamp(user, timestamp, secret), token)) matched = true;
      }
    } catch {
      return false;
    }
    if (!matched) return false;

    const age = this.currentTimestamp() - timestamp;
    return age <= this.timeoutSeconds && -age <= this.timeoutSeconds;
  }

  private makeTokenWithTimestamp(user: ResetTokenUser, timestamp: number, secret: string): string {
    const hash = saltedHmacHex(KEY_SALT, this.hashValue(user, timestamp), secret, this.algorithm);
    // Every other hex digit, as Django, to shorten the URL.
    let shortHash = '';
    for (let i = 0; i < hash.length; i += 2) shortHash += hash[i];
    return `${timestamp.toString(36)}-${shortHash}`;
  }

  private hashValue(user: ResetTokenUser, timestamp: number): string {
    const loginTimestamp = user.lastLogin ? String(Math.floor(user.lastLogin.getTime() / 1000)) : '';
    return `${user.id}${user.password ?? ''}${loginTimestamp}${timestamp}${user.email ?? ''}`;
  }

  private currentTimestamp(): number {
    return Math.floor((this.now().getTime() - EPOCH_MS) / 1000);
  }
}
