import type { KeyValueStore } from '@koa-auth/core';
import { z } from 'zod';

/** What the registry knows of one token family (one login on one device). */
export interface FamilyRecord {
  userId: string;
  /** The jti of the only refresh token of the family that may still be used. */
  current: string;
  /** The backend that authenticated the user at login. */
  backend: string;
  /**
   * The user's session auth hash (HMAC of the password hash) when the family was created: a
   * family lives only as long as the password it was issued under, as sessions do.
   */
  authHash: string;
  /** When the family was created (login), epoch milliseconds. */
  createdAt: number;
  device?: string;
  ip?: string;
}

const familyRecord = z.object({
  userId: z.string(),
  current: z.string(),
  backend: z.string(),
  // Required: a record without it (written before families were bound to the password) fails closed.
  authHash: z.string(),
  createdAt: z.number(),
  device: z.string().optional(),
  ip: z.string().optional(),
});

/**
 * The server-side state of issued tokens, in a {@link KeyValueStore} shared by every instance
 * (so a revocation on one is seen by all at once). Key layout, after `prefix`:
 *
 * - `family:<familyId>` → JSON {@link FamilyRecord}; expires with the family's refresh token.
 * - `user:<userId>` → set of the user's family ids (may hold ids of expired families: readers
 *   drop those); its expiry is pushed back whenever a family is added or refreshed.
 * - `used:<jti>` → family id; marks a refresh token as spent, set-if-absent, so of two
 *   concurrent refreshes with one token only one can claim it. Lives until that token expires.
 * - `revoked:<familyId>` → '1'; a tombstone written before the record is deleted, so a rotation
 *   racing with the revocation notices it and cannot bring the family back.
 *
 * This class only stores; the rules (rotation, reuse detection) live in TokenService.
 */
export class TokenRegistry {
  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix: string,
  ) {}

  /** The family's record, or null when missing, expired, revoked or unreadable. */
  async getFamily(familyId: string): Promise<FamilyRecord | null> {
    const raw = await this.store.get(this.familyKey(familyId));
    if (raw === null) return null;
    // A record this code did not write is treated as absent: fail closed.
    const parsed = familyRecord.safeParse(safeJson(raw));
    return parsed.success ? parsed.data : null;
  }

  /** Write (create or replace) a family's record and list it under its user. */
  async saveFamily(familyId: string, record: FamilyRecord, ttlMs: number): Promise<void> {
    await this.store.set(this.familyKey(familyId), JSON.stringify(record), ttlMs);
    await this.store.addToSet(this.userKey(record.userId), familyId, ttlMs);
  }

  /** Mark a refresh token as spent; false when it already was (reuse or a concurrent refresh). */
  claimRefreshToken(jti: string, familyId: string, ttlMs: number): Promise<boolean> {
    return this.store.setIfAbsent(this.usedKey(jti), familyId, ttlMs);
  }

  /** True when the family was revoked (within `ttlMs` of its revocation). */
  async isRevoked(familyId: string): Promise<boolean> {
    return (await this.store.get(this.revokedKey(familyId))) !== null;
  }

  /**
   * Revoke a family: tombstone first, then delete the record and unlist it. `tombstoneTtlMs`
   * should outlive any of the family's tokens. True when a live record was deleted; revoking a
   * missing family still leaves the tombstone (cheap, and harmless).
   */
  async revokeFamily(familyId: string, tombstoneTtlMs: number): Promise<boolean> {
    const record = await this.getFamily(familyId);
    await this.store.set(this.revokedKey(familyId), '1', tombstoneTtlMs);
    await this.store.delete(this.familyKey(familyId));
    if (record) await this.store.removeFromSet(this.userKey(record.userId), familyId);
    return record !== null;
  }

  /** The family ids listed under a user (some may have expired meanwhile). */
  familyIds(userId: string): Promise<string[]> {
    return this.store.setMembers(this.userKey(userId));
  }

  /** Remove a family id from its user's list (e.g. once its record has expired). */
  unlistFamily(userId: string, familyId: string): Promise<void> {
    return this.store.removeFromSet(this.userKey(userId), familyId);
  }

  private familyKey(familyId: string): string {
    return `${this.prefix}family:${familyId}`;
  }

  private userKey(userId: string): string {
    return `${this.prefix}user:${userId}`;
  }

  private usedKey(jti: string): string {
    return `${this.prefix}used:${jti}`;
  }

  private revokedKey(familyId: string): string {
    return `${this.prefix}revoked:${familyId}`;
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
