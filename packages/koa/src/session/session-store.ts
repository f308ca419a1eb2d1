import type { KeyValueStore } from '@koa-auth/core';
import { SESSION_KEY } from './session-keys.js';

const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
/** Session ids are 43-character base64url strings; anything else is refused before any store access. */
const VALID_ID = /^[A-Za-z0-9_-]{16,128}$/;

type SessionData = Record<string, unknown>;

/**
 * koa-session's external-store contract over a core KeyValueStore. Every session lives on the
 * server (so it can be revoked), and the sessions of each logged-in user are indexed in a set,
 * so that "log out my other sessions" and "list my sessions" need no scan.
 */
export class SessionStore {
  constructor(
    readonly store: KeyValueStore,
    private readonly prefix = 'sess:',
  ) {}

  /** The session data, or null when missing, expired, malformed or the id is not one of ours. */
  async get(id: string): Promise<SessionData | null> {
    if (!VALID_ID.test(id)) return null;
    const raw = await this.store.get(this.prefix + id);
    if (raw === null) return null;
    try {
      const data: unknown = JSON.parse(raw);
      return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as SessionData) : null;
    } catch {
      return null;
    }
  }

  /** Save the session; a logged-in session is also added to its user's index. */
  async set(id: string, data: SessionData, maxAge: number | 'session' | undefined): Promise<void> {
    const ttl = typeof maxAge === 'number' ? maxAge : DEFAULT_TTL_MS;
    await this.store.set(this.prefix + id, JSON.stringify(data), ttl);
    const userId = data[SESSION_KEY];
    if (userId !== undefined && userId !== null) await this.store.addToSet(this.indexKey(String(userId)), id, ttl);
  }

  /** Delete one session. The user index is cleaned lazily by `userSessions`. */
  async destroy(id: string): Promise<void> {
    if (VALID_ID.test(id)) await this.store.delete(this.prefix + id);
  }

  /** The live sessions of a user as [id, data] pairs; dead ids are dropped from the index. */
  async userSessions(userId: string | number): Promise<[string, SessionData][]> {
    const indexKey = this.indexKey(String(userId));
    const ids = await this.store.setMembers(indexKey);
    const live: [string, SessionData][] = [];
    for (const id of ids) {
      const data = await this.get(id);
      // A session reused by another user after a flush no longer belongs here.
      if (data && String(data[SESSION_KEY]) === String(userId)) live.push([id, data]);
      else await this.store.removeFromSet(indexKey, id);
    }
    return live;
  }

  /** Drop the ids of ended sessions from a user's index (`clearsessions`); resolves to how many were dropped. */
  async clearExpired(userId: string | number): Promise<number> {
    const listed = await this.store.setMembers(this.indexKey(String(userId)));
    if (listed.length === 0) return 0;
    return listed.length - (await this.userSessions(userId)).length;
  }

  /** Delete every session of a user except `keepId` (the current one). */
  async destroyUserSessions(userId: string | number, keepId?: string): Promise<number> {
    let count = 0;
    for (const [id] of await this.userSessions(userId)) {
      if (id === keepId) continue;
      await this.destroy(id);
      await this.store.removeFromSet(this.indexKey(String(userId)), id);
      count += 1;
    }
    return count;
  }

  private indexKey(userId: string): string {
    return `${this.prefix}user:${userId}`;
  }
}
