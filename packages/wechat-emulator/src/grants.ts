/**
 * The code and token store. Pure data with lifetimes; the errcode rules live in the API routes.
 *
 * An authorization (one user approving one app) yields a single-use code. Redeeming it creates
 * a grant: one refresh token (30 days from authorization, never extended) and one current access
 * token. Refreshing returns the same access token with its lifetime extended while it is valid,
 * or a new one once it has expired (§3.2); expired tokens are kept so they answer 42001.
 */
import type { EmulatorClock } from './clock.js';
import { newCode, newToken } from './ids.js';

/** Who authorized what: everything a code carries into its tokens. */
export interface Authorization {
  appid: string;
  userKey: string;
  /** Granted scopes, comma-separated. */
  scope: string;
  openid: string;
  unionid: string | undefined;
  /** Snapshot-mode virtual user (§2): flagged on exchange, refused by /sns/userinfo. */
  snapshot: boolean;
}

export interface CodeRecord {
  code: string;
  authorization: Authorization;
  expiresAt: number;
  used: boolean;
}

export interface Grant {
  authorization: Authorization;
  refreshToken: string;
  refreshExpiresAt: number;
  accessToken: AccessTokenRecord;
}

export interface AccessTokenRecord {
  token: string;
  grant: Grant;
  expiresAt: number;
}

export interface Lifetimes {
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
}

export class GrantStore {
  readonly #codes = new Map<string, CodeRecord>();
  readonly #refreshTokens = new Map<string, Grant>();
  readonly #accessTokens = new Map<string, AccessTokenRecord>();

  constructor(
    private readonly clock: EmulatorClock,
    private readonly lifetimes: Lifetimes,
  ) {}

  issueCode(authorization: Authorization, ttlSeconds: number): string {
    const code = newCode();
    this.#codes.set(code, { code, authorization, expiresAt: this.clock.now() + ttlSeconds * 1000, used: false });
    return code;
  }

  findCode(code: string): CodeRecord | undefined {
    return this.#codes.get(code);
  }

  isExpired(record: { expiresAt: number }): boolean {
    return this.clock.now() >= record.expiresAt;
  }

  /** Marks the code used and creates the grant it authorizes. */
  redeem(record: CodeRecord): Grant {
    record.used = true;
    const now = this.clock.now();
    // Grant and access token point at each other, so the grant is completed in two steps.
    const grant = {
      authorization: record.authorization,
      refreshToken: newToken(),
      refreshExpiresAt: now + this.lifetimes.refreshTokenSeconds * 1000,
    } as Grant;
    grant.accessToken = this.#newAccessToken(grant);
    this.#refreshTokens.set(grant.refreshToken, grant);
    return grant;
  }

  findGrantByRefreshToken(refreshToken: string): Grant | undefined {
    return this.#refreshTokens.get(refreshToken);
  }

  /** Extends the current access token if still valid, else replaces it. */
  refresh(grant: Grant): AccessTokenRecord {
    if (this.isExpired(grant.accessToken)) {
      grant.accessToken = this.#newAccessToken(grant);
    } else {
      grant.accessToken.expiresAt = this.clock.now() + this.lifetimes.accessTokenSeconds * 1000;
    }
    return grant.accessToken;
  }

  findAccessToken(token: string): AccessTokenRecord | undefined {
    return this.#accessTokens.get(token);
  }

  /** Seconds left, rounded up (a token issued this instant reports its full 7200, as WeChat does), never below 0. */
  secondsLeft(record: { expiresAt: number }): number {
    return Math.max(0, Math.ceil((record.expiresAt - this.clock.now()) / 1000));
  }

  clear(): void {
    this.#codes.clear();
    this.#refreshTokens.clear();
    this.#accessTokens.clear();
  }

  #newAccessToken(grant: Grant): AccessTokenRecord {
    const record = { token: newToken(), grant, expiresAt: this.clock.now() + this.lifetimes.accessTokenSeconds * 1000 };
    this.#accessTokens.set(record.token, record);
    return record;
  }
}
