import { backendOf } from '@koa-auth/core/internal';
import { ImproperlyConfigured, type AbstractUser, type Auth } from '@koa-auth/core';
import { AuthenticationFailed } from '../errors.js';
import { TokenCodec } from './token-codec.js';
import { newTokenId } from './token-keys.js';
import type { AuthenticatedAccess, IssueMeta, TokenFamilyInfo, TokenPair, VerifiedAccess } from './token-pair.js';
import { TokenRegistry, type FamilyRecord } from './token-registry.js';
import { resolveTokenServiceOptions, type ResolvedTokenServiceOptions, type TokenServiceOptions } from './token-service-options.js';

const MAX_DEVICE_LENGTH = 200;
const MAX_IP_LENGTH = 64;

/**
 * Access/refresh JWT pairs with a server-side registry (DRF simplejwt with rotation and a
 * blacklist, made revocable at once):
 *
 * - A login creates a token *family*; its record in `auth.store` names the one refresh token
 *   (by jti) that may still be used. Refreshing spends that token and issues a new pair in the
 *   same family (rotation).
 * - Presenting a spent refresh token again means it was copied: the whole family is revoked
 *   (reuse detection), so the thief and the victim are both logged out of that device.
 * - Access tokens are checked against the registry on every request, so revoking a family or a
 *   user takes effect immediately, on every instance sharing the store.
 * - A family is bound to the user's session auth hash at login (as Django binds sessions): once
 *   the password changes — through koa-auth, a CLI, an admin tool or a direct database write —
 *   its refresh (and, through {@link TokenService.authenticateAccess}, its access tokens) are
 *   refused and the family revoked. A mere hash upgrade (same password) keeps it alive.
 *
 * Also call {@link TokenService.revokeUser} on password change and on "log out everywhere", so
 * device lists agree at once.
 *
 * Tokens are HS256 JWTs keyed by HKDF from `auth.secrets` (fallback secrets still verify).
 * Every failure of a token is an {@link AuthenticationFailed} with a generic message; store
 * outages surface as core's ServiceUnavailable.
 */
export class TokenService<U extends AbstractUser = AbstractUser> {
  private readonly options: ResolvedTokenServiceOptions;
  private readonly codec: TokenCodec;
  private readonly registry: TokenRegistry;
  private readonly revokeListeners = new Set<(familyId: string) => unknown>();

  constructor(
    private readonly auth: Auth<U>,
    options: TokenServiceOptions = {},
  ) {
    this.options = resolveTokenServiceOptions(options);
    const { issuer, audience, clockToleranceSeconds } = this.options;
    this.codec = new TokenCodec(auth.secrets, { issuer, audience, clockToleranceSeconds });
    this.registry = new TokenRegistry(auth.store, this.options.keyPrefix);
  }

  /**
   * Start a new family for `user` (a login) and return its first pair. The backend recorded is
   * the one that authenticated the user (`backendOf`), or the only configured backend. With
   * `singleDevice`, the user's other families are revoked first.
   */
  async issue(user: U, meta: IssueMeta = {}): Promise<TokenPair> {
    const userId = userIdOf(user);
    const backend = this.backendNameOf(user);
    if (this.options.singleDevice) await this.revokeUser(userId);
    const familyId = newTokenId();
    const { pair, refreshJti } = await this.mint(userId, familyId, backend);
    const record: FamilyRecord = { userId, current: refreshJti, backend, authHash: this.auth.sessionAuthHash(user), createdAt: Date.now(), ...cleanMeta(meta) };
    await this.registry.saveFamily(familyId, record, this.familyTtlMs());
    return pair;
  }

  /**
   * Spend a refresh token and return a new pair in the same family. A revoked or expired family,
   * a deactivated user, a changed password or a reused (already spent) token fails with
   * AuthenticationFailed; reuse, a user the backend no longer allows and a changed password also
   * revoke the family.
   *
   * Two concurrent refreshes with one token: only one can claim it (set-if-absent on a per-jti
   * marker), the other counts as reuse and revokes the family, which the winner then notices
   * (tombstone) — so at most one succeeds and the family ends revoked. A legitimate client must
   * therefore never refresh twice in parallel with the same token. Should the store fail after
   * the token was spent, the client has to log in again (failing closed).
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const claims = await this.codec.verifyRefresh(refreshToken);
    const familyId = claims.fam;
    const record = await this.registry.getFamily(familyId);
    if (!record || record.userId !== claims.sub) throw new AuthenticationFailed();
    if (record.current !== claims.jti) return this.reuseDetected(familyId);

    // Checked before the token is spent, so a database hiccup here does not burn it.
    const user = await this.auth.getBackend(record.backend)?.getUser(this.auth, record.userId);
    if (!user) {
      await this.revokeFamily(familyId);
      throw new AuthenticationFailed();
    }
    const authHash = await this.currentAuthHash(familyId, record, user);

    const claimed = await this.registry.claimRefreshToken(claims.jti, familyId, this.untilExpiryMs(claims.exp));
    if (!claimed) return this.reuseDetected(familyId);

    const { pair, refreshJti } = await this.mint(record.userId, familyId, record.backend);
    await this.registry.saveFamily(familyId, { ...record, authHash, current: refreshJti }, this.familyTtlMs());
    // A revocation may have run between our read and our write; it left a tombstone, and our
    // write must not bring the family back.
    if (await this.registry.isRevoked(familyId)) {
      await this.registry.revokeFamily(familyId, this.tombstoneTtlMs());
      throw new AuthenticationFailed();
    }
    return pair;
  }

  /**
   * Who a request's access token is for: the signature, expiry, issuer, audience and type must
   * check out, and its family must still be live in the registry.
   */
  async verifyAccess(token: string): Promise<VerifiedAccess> {
    return (await this.verifiedFamily(token)).access;
  }

  /**
   * {@link verifyAccess}, then the user, loaded through the backend named in the token: refused
   * (AuthenticationFailed) when that backend is gone or no longer allows the user (deleted,
   * deactivated), and — the family revoked — when the user's password changed since the family
   * was issued. What bearerAuthenticator uses; prefer it to verifyAccess whenever the user is needed.
   */
  async authenticateAccess(token: string): Promise<AuthenticatedAccess<U>> {
    const { access, record } = await this.verifiedFamily(token);
    const user = await this.auth.getBackend(access.backend)?.getUser(this.auth, access.userId);
    if (!user) throw new AuthenticationFailed();
    await this.currentAuthHash(access.familyId, record, user);
    return { ...access, user };
  }

  /**
   * Log one device out: its refresh and access tokens stop working at once. With `userId`, only
   * a family of that user is revoked (for "log out this device" endpoints taking an id from the
   * client). True when a live family was revoked.
   */
  async revokeFamily(familyId: string, options: { userId?: string } = {}): Promise<boolean> {
    if (options.userId !== undefined) {
      const record = await this.registry.getFamily(familyId);
      if (!record || record.userId !== options.userId) return false;
    }
    const live = await this.registry.revokeFamily(familyId, this.tombstoneTtlMs());
    // Every revocation path (logout, revokeUser, reuse, a changed password) ends here.
    await Promise.all([...this.revokeListeners].map((listener) => listener(familyId)));
    return live;
  }

  /**
   * Call `listener` with the id of every family this service revokes (logout, revokeUser, reuse
   * detection, a changed password), after the revocation is stored — also for a family that was
   * no longer live, so listeners must be idempotent. For data tied to a device's login (e.g. a
   * WeChat Mini Program session_key) that must go with it. A rejecting listener rejects the
   * revocation call, which has already taken effect. Returns a function removing the listener.
   */
  onRevoke(listener: (familyId: string) => unknown): () => void {
    this.revokeListeners.add(listener);
    return () => this.revokeListeners.delete(listener);
  }

  /** Log a user out everywhere (logout-everywhere, password change); returns how many families were live. */
  async revokeUser(userId: string): Promise<number> {
    const ids = await this.registry.familyIds(userId);
    const revoked = await Promise.all(
      ids.map(async (familyId) => {
        const live = await this.revokeFamily(familyId, { userId });
        // Ids of expired families linger in the set until someone removes them.
        if (!live) await this.registry.unlistFamily(userId, familyId);
        return live;
      }),
    );
    return revoked.filter(Boolean).length;
  }

  /** The user's live families (newest first); ids whose record expired are dropped on the way. */
  async listFamilies(userId: string): Promise<TokenFamilyInfo[]> {
    const ids = await this.registry.familyIds(userId);
    const families = await Promise.all(
      ids.map(async (familyId): Promise<TokenFamilyInfo | null> => {
        const record = await this.registry.getFamily(familyId);
        if (!record || record.userId !== userId) {
          await this.registry.unlistFamily(userId, familyId);
          return null;
        }
        const { backend, createdAt, device, ip } = record;
        return { familyId, backend, createdAt: new Date(createdAt), ...(device !== undefined && { device }), ...(ip !== undefined && { ip }) };
      }),
    );
    return families.filter((f): f is TokenFamilyInfo => f !== null).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  private async verifiedFamily(token: string): Promise<{ access: VerifiedAccess; record: FamilyRecord }> {
    const claims = await this.codec.verifyAccess(token);
    const record = await this.registry.getFamily(claims.fam);
    if (!record || record.userId !== claims.sub || record.backend !== claims.bkd) throw new AuthenticationFailed();
    return { access: { userId: claims.sub, familyId: claims.fam, backend: claims.bkd }, record };
  }

  /**
   * The session auth hash the family should carry from now on, when it was issued under the
   * user's current password (the current or a fallback secret, or a hash merely upgraded since);
   * otherwise the password changed: the family is revoked and AuthenticationFailed thrown.
   */
  private async currentAuthHash(familyId: string, record: FamilyRecord, user: U): Promise<string> {
    if (this.auth.verifySessionAuthHash(user, record.authHash)) return record.authHash;
    // Rare path (one store read): the password hash was upgraded, not changed.
    if (await this.auth.isRehashedSession(user, record.authHash)) return this.auth.sessionAuthHash(user);
    await this.revokeFamily(familyId);
    throw new AuthenticationFailed();
  }

  /** Drop the ids of expired families from a user's list (`clearsessions`); resolves to how many were dropped. */
  async clearExpired(userId: string): Promise<number> {
    const listed = await this.registry.familyIds(userId);
    if (listed.length === 0) return 0;
    return listed.length - (await this.listFamilies(userId)).length;
  }

  private async reuseDetected(familyId: string): Promise<never> {
    await this.revokeFamily(familyId);
    throw new AuthenticationFailed();
  }

  /** A signed access/refresh pair for a family, and the jti of its refresh token. */
  private async mint(userId: string, familyId: string, backend: string): Promise<{ pair: TokenPair; refreshJti: string }> {
    const { accessTtlSeconds, refreshTtlSeconds } = this.options;
    const now = Math.floor(Date.now() / 1000);
    const accessExp = now + accessTtlSeconds;
    const refreshExp = now + refreshTtlSeconds;
    const refreshJti = newTokenId();
    const [accessToken, refreshToken] = await Promise.all([
      this.codec.sign('access', { sub: userId, fam: familyId, jti: newTokenId(), bkd: backend }, now, accessExp),
      this.codec.sign('refresh', { sub: userId, fam: familyId, jti: refreshJti }, now, refreshExp),
    ]);
    const pair: TokenPair = {
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: accessTtlSeconds,
      accessExpiresAt: new Date(accessExp * 1000),
      refreshExpiresAt: new Date(refreshExp * 1000),
    };
    return { pair, refreshJti };
  }

  private backendNameOf(user: U): string {
    const backends = this.auth.backends;
    const name = backendOf(user) ?? (backends.length === 1 ? backends[0]?.name : undefined);
    if (name === undefined) {
      throw new ImproperlyConfigured(
        'TokenService.issue: the user carries no backend (pass a user from authenticate(), or markBackend) and several backends are configured.',
      );
    }
    if (!this.auth.getBackend(name)) throw new ImproperlyConfigured(`TokenService.issue: no backend named ${name} is configured.`);
    return name;
  }

  /** The registry record lives exactly as long as the newest refresh token. */
  private familyTtlMs(): number {
    return this.options.refreshTtlSeconds * 1000;
  }

  /** Tombstones outlive every token of the family, clock tolerance included. */
  private tombstoneTtlMs(): number {
    return (this.options.refreshTtlSeconds + this.options.clockToleranceSeconds) * 1000;
  }

  /** Until a token with this `exp` can no longer verify. */
  private untilExpiryMs(exp: number): number {
    return Math.max(1000, (exp + this.options.clockToleranceSeconds) * 1000 - Date.now());
  }
}

function userIdOf(user: AbstractUser): string {
  const id: unknown = user.id;
  if ((typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id.length > 0)) return String(id);
  throw new TypeError('TokenService.issue needs a saved user (with an id).');
}

/** Keep meta small and drop empty values: it is stored for every family and shown in lists. */
function cleanMeta(meta: IssueMeta): Pick<FamilyRecord, 'device' | 'ip'> {
  const device = meta.device?.trim().slice(0, MAX_DEVICE_LENGTH);
  const ip = meta.ip?.trim().slice(0, MAX_IP_LENGTH);
  return { ...(device ? { device } : {}), ...(ip ? { ip } : {}) };
}
