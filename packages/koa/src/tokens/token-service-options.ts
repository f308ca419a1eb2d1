import { ImproperlyConfigured } from '@koa-auth/core';

/** Options of TokenService. */
export interface TokenServiceOptions {
  /**
   * Access token lifetime in seconds (default 300). Revocation is immediate whatever it is (the
   * registry is checked on every request); it bounds how long a leaked token stays useful.
   */
  accessTtlSeconds?: number;
  /**
   * Refresh token lifetime (default 30 days). Each refresh issues a new refresh token with the
   * full lifetime, so a family lives for as long as it is refreshed at least this often.
   */
  refreshTtlSeconds?: number;
  /** The `iss` claim, checked on verification (default 'koa-auth'). */
  issuer?: string;
  /** The `aud` claim, checked on verification. Set it when several services share a secret. */
  audience?: string;
  /**
   * One device per user: issuing a pair revokes the user's other families first.
   * Two logins at the very same moment may both survive; the next login settles it.
   */
  singleDevice?: boolean;
  /** Put before every registry key in `auth.store` (default 'tokens:'). */
  keyPrefix?: string;
  /** Allowed clock skew between servers when checking `exp` (default 5 s). */
  clockToleranceSeconds?: number;
}

/** TokenServiceOptions with every default filled in. */
export type ResolvedTokenServiceOptions = Required<Omit<TokenServiceOptions, 'audience'>> & { audience?: string };

const DEFAULTS = {
  accessTtlSeconds: 300,
  refreshTtlSeconds: 30 * 24 * 60 * 60,
  issuer: 'koa-auth',
  singleDevice: false,
  keyPrefix: 'tokens:',
  clockToleranceSeconds: 5,
} as const;

/** Fill in defaults and refuse nonsense at startup rather than at the first login. */
export function resolveTokenServiceOptions(options: TokenServiceOptions = {}): ResolvedTokenServiceOptions {
  const resolved: ResolvedTokenServiceOptions = {
    accessTtlSeconds: options.accessTtlSeconds ?? DEFAULTS.accessTtlSeconds,
    refreshTtlSeconds: options.refreshTtlSeconds ?? DEFAULTS.refreshTtlSeconds,
    issuer: options.issuer ?? DEFAULTS.issuer,
    audience: options.audience,
    singleDevice: options.singleDevice ?? DEFAULTS.singleDevice,
    keyPrefix: options.keyPrefix ?? DEFAULTS.keyPrefix,
    clockToleranceSeconds: options.clockToleranceSeconds ?? DEFAULTS.clockToleranceSeconds,
  };
  for (const name of ['accessTtlSeconds', 'refreshTtlSeconds'] as const) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new ImproperlyConfigured(`TokenService: ${name} must be a positive whole number of seconds.`);
    }
  }
  if (resolved.accessTtlSeconds > resolved.refreshTtlSeconds) {
    throw new ImproperlyConfigured('TokenService: accessTtlSeconds must not exceed refreshTtlSeconds.');
  }
  const tolerance = resolved.clockToleranceSeconds;
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > 300) {
    throw new ImproperlyConfigured('TokenService: clockToleranceSeconds must be between 0 and 300.');
  }
  if (resolved.issuer.length === 0) throw new ImproperlyConfigured('TokenService: issuer must not be empty.');
  if (resolved.audience !== undefined && resolved.audience.length === 0) {
    throw new ImproperlyConfigured('TokenService: audience must not be empty when given.');
  }
  return resolved;
}
