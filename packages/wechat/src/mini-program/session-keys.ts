/**
 * Where Mini Program session_keys live: the key-value store (memory or Redis, shared by every
 * instance), one record per token family — the device's login — plus a pointer from (user, appid)
 * to the family of that user's latest Mini Program login there:
 *
 *   `<prefix>family:<familyId>`     → { userId, appid, sessionKey }
 *   `<prefix>user:<userId>:<appid>` → familyId
 *
 * A new login replaces the pointer and deletes the previous family's record; revoking a family
 * (logout, revokeUser, reuse detection, a changed password) deletes its record, so the
 * session_key goes with the tokens it was issued beside. Both expire with the family (the
 * refresh token's lifetime). Nothing here is ever returned to a client or logged.
 */
import type { KeyValueStore } from '@koa-auth/core';

interface FamilyRecord {
  userId: string;
  appid: string;
  sessionKey: string;
}

/** Options of MiniProgramSessionKeys. */
export interface MiniProgramSessionKeysOptions {
  /** Default `wechat:mp:sk:`. */
  keyPrefix?: string;
  /** How long a record lives: the token family's lifetime. Default 30 days (TokenService's default refresh lifetime). */
  ttlSeconds?: number;
}

/** The session_key store (see the module comment). */
export class MiniProgramSessionKeys {
  readonly #prefix: string;
  readonly #ttlMs: number;

  constructor(
    private readonly store: KeyValueStore,
    options: MiniProgramSessionKeysOptions = {},
  ) {
    this.#prefix = options.keyPrefix ?? 'wechat:mp:sk:';
    this.#ttlMs = (options.ttlSeconds ?? 30 * 24 * 3600) * 1000;
  }

  /** Keep `sessionKey` for the login that started `familyId`, replacing the user's previous one in `appid`. */
  async save(userId: string, appid: string, sessionKey: string, familyId: string): Promise<void> {
    const record: FamilyRecord = { userId, appid, sessionKey };
    await this.store.set(this.#familyKey(familyId), JSON.stringify(record), this.#ttlMs);
    const pointer = this.#userKey(userId, appid);
    const previous = await this.store.get(pointer);
    await this.store.set(pointer, familyId, this.#ttlMs);
    if (previous !== null && previous !== familyId) await this.store.delete(this.#familyKey(previous));
  }

  /** The session_key of the user's latest live Mini Program login in `appid`, or null. */
  async get(userId: string, appid: string): Promise<string | null> {
    const familyId = await this.store.get(this.#userKey(userId, appid));
    if (familyId === null) return null;
    const raw = await this.store.get(this.#familyKey(familyId));
    if (raw === null) return null;
    const record = JSON.parse(raw) as FamilyRecord;
    // A pointer is only followed to a record of the same user and app.
    return record.userId === userId && record.appid === appid ? record.sessionKey : null;
  }

  /** Drop the session_key kept for a revoked family (idempotent). */
  async dropFamily(familyId: string): Promise<void> {
    await this.store.delete(this.#familyKey(familyId));
  }

  #familyKey(familyId: string): string {
    return `${this.#prefix}family:${familyId}`;
  }

  #userKey(userId: string, appid: string): string {
    return `${this.#prefix}user:${userId}:${appid}`;
  }
}
