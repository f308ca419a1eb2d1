import type { KeyObject } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { z } from 'zod';
import { AuthenticationFailed } from '../errors.js';
import { accessClaims, refreshClaims, type AccessClaims, type RefreshClaims } from './token-claims.js';
import { deriveTokenKeys, type TokenKeys, type TokenType } from './token-keys.js';

/** Options of {@link TokenCodec}. */
export interface TokenCodecOptions {
  issuer: string;
  audience?: string;
  /** Leeway for `exp`/`iat` between servers whose clocks differ slightly. */
  clockToleranceSeconds: number;
}

/** What goes into a token besides the registered time and issuer/audience claims. */
export interface TokenSubject {
  sub: string;
  fam: string;
  jti: string;
  /** Access tokens only. */
  bkd?: string;
}

// Far above any token this codec issues; refusing longer input early bounds the work an
// attacker can cause with junk headers.
const MAX_TOKEN_LENGTH = 4096;
const ALGORITHM = 'HS256';

/**
 * Signs and verifies the service's JWTs (jose, HS256 only). Verification is all-or-nothing:
 * any forged, expired, malformed, wrongly typed or wrong-algorithm token is an
 * {@link AuthenticationFailed} with the generic message; the token and the reason never reach
 * the error (they could end up in logs or responses).
 */
export class TokenCodec {
  private readonly keys: TokenKeys;

  /** `secrets`: the signing secret first, then fallbacks still accepted for verification. */
  constructor(
    secrets: readonly string[],
    private readonly options: TokenCodecOptions,
  ) {
    if (secrets.length === 0) throw new RangeError('TokenCodec needs at least one secret');
    this.keys = deriveTokenKeys(secrets);
  }

  /** A signed token of `type`, valid from `issuedAt` until `expiresAt` (epoch seconds). */
  sign(type: TokenType, subject: TokenSubject, issuedAt: number, expiresAt: number): Promise<string> {
    const { sub, fam, jti, bkd } = subject;
    if (type === 'access' && !bkd) throw new TypeError('An access token needs the backend (bkd).');
    const jwt = new SignJWT(type === 'access' ? { typ: type, fam, bkd } : { typ: type, fam })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(sub)
      .setJti(jti)
      .setIssuer(this.options.issuer)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt);
    if (this.options.audience !== undefined) jwt.setAudience(this.options.audience);
    return jwt.sign(this.signingKey(type));
  }

  /** The claims of a valid access token; anything else throws AuthenticationFailed. */
  verifyAccess(token: unknown): Promise<AccessClaims> {
    return this.verify(token, 'access', accessClaims);
  }

  /** The claims of a valid refresh token; anything else throws AuthenticationFailed. */
  verifyRefresh(token: unknown): Promise<RefreshClaims> {
    return this.verify(token, 'refresh', refreshClaims);
  }

  private async verify<T>(token: unknown, type: TokenType, schema: z.ZodType<T>): Promise<T> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      throw new AuthenticationFailed();
    }
    const payload = await this.verifiedPayload(token, type);
    // Without a configured audience, a token made for some audience is not for us.
    if (this.options.audience === undefined && payload.aud !== undefined) throw new AuthenticationFailed();
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new AuthenticationFailed();
    return parsed.data;
  }

  /** Try the signing key, then each fallback key; only a bad signature moves on to the next. */
  private async verifiedPayload(token: string, type: TokenType): Promise<JWTPayload> {
    for (const key of this.keys[type]) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: this.options.issuer,
          audience: this.options.audience,
          clockTolerance: this.options.clockToleranceSeconds,
          requiredClaims: ['sub', 'jti', 'iat', 'exp'],
        });
        return payload;
      } catch (error) {
        if (error instanceof errors.JWSSignatureVerificationFailed) continue;
        // jose verifies with a key in hand and does no I/O: whatever it throws is about the token.
        throw new AuthenticationFailed();
      }
    }
    throw new AuthenticationFailed();
  }

  private signingKey(type: TokenType): KeyObject {
    // The constructor guarantees one key per secret and at least one secret.
    return this.keys[type][0]!;
  }
}
