import { createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

/** The two kinds of JWT the token service issues. */
export type TokenType = 'access' | 'refresh';

// HKDF's salt and info make the JWT keys independent of every other use of the same secret
// (session auth hash, password-reset tokens, cookies): knowing one derived key reveals nothing
// about the others. A distinct key per token type means an access token cannot even pass the
// signature check of a refresh token (and vice versa), before the `typ` claim is looked at.
const HKDF_SALT = 'koa-auth.tokens';
const KEY_BYTES = 32;

/**
 * The HS256 key for tokens of `type` under `secret` (HKDF-SHA256, 256-bit), as a KeyObject:
 * jose would import raw bytes into a new key on every sign and verify, a KeyObject it uses as is.
 */
export function deriveTokenKey(secret: string, type: TokenType): KeyObject {
  return createSecretKey(new Uint8Array(hkdfSync('sha256', secret, HKDF_SALT, `koa-auth.tokens.${type}.hs256`, KEY_BYTES)));
}

/** Keys per token type: the first signs, all of them verify (secret rotation). */
export type TokenKeys = Readonly<Record<TokenType, readonly KeyObject[]>>;

/** The signing key and fallback keys for `secrets` (the auth's secret first, then fallbacks). */
export function deriveTokenKeys(secrets: readonly string[]): TokenKeys {
  return {
    access: secrets.map((secret) => deriveTokenKey(secret, 'access')),
    refresh: secrets.map((secret) => deriveTokenKey(secret, 'refresh')),
  };
}

/** A family id or JWT id: 128 random bits, base64url (22 characters, safe inside store keys). */
export function newTokenId(): string {
  return randomBytes(16).toString('base64url');
}

/** True for strings shaped like {@link newTokenId}'s output. */
export function isTokenId(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_ID.test(value);
}

const TOKEN_ID = /^[A-Za-z0-9_-]{22}$/;
