/**
 * The pair `auth.token` / `auth.refresh` answer (@koa-auth/koa's TokenPair, spelled out so the
 * client's types need no server package; test/router-contract.ts keeps the two equal).
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

/**
 * A TokenPair as any input may carry it: the server sends JSON without a transformer, so the
 * two dates arrive as ISO strings (and are stored as such by JSON-based storages).
 */
export type TokenPairLike = Omit<TokenPair, 'accessExpiresAt' | 'refreshExpiresAt'> & {
  accessExpiresAt: Date | string | number;
  refreshExpiresAt: Date | string | number;
};

/**
 * `value` as a TokenPair with real Date objects; TypeError when it is not a pair (so garbage
 * from a storage or a wrong answer is never sent as a token).
 */
export function toTokenPair(value: unknown): TokenPair {
  if (typeof value !== 'object' || value === null) throw new TypeError('Not a token pair.');
  const v = value as Record<string, unknown>;
  const accessExpiresAt = toDate(v.accessExpiresAt);
  const refreshExpiresAt = toDate(v.refreshExpiresAt);
  if (
    typeof v.accessToken !== 'string' ||
    v.accessToken === '' ||
    typeof v.refreshToken !== 'string' ||
    v.refreshToken === '' ||
    typeof v.expiresIn !== 'number' ||
    !accessExpiresAt ||
    !refreshExpiresAt
  ) {
    throw new TypeError('Not a token pair.');
  }
  return { accessToken: v.accessToken, refreshToken: v.refreshToken, tokenType: 'Bearer', expiresIn: v.expiresIn, accessExpiresAt, refreshExpiresAt };
}

function toDate(value: unknown): Date | null {
  if (!(value instanceof Date) && typeof value !== 'string' && typeof value !== 'number') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
