/**
 * The Official Account flow's records in the key-value store (JSON, expiring), keyed by state:
 * - `state:<state>`: the pending authorization — mode, scope, where to go next, the user to bind
 *   to, and the hash of the browser's per-flow cookie secret;
 * - `claim:<state>`: set-if-absent by the first callback (WeChat's duplicates exchange nothing
 *   and are sent where the first one went).
 * Server-side, so a browser may have several flows pending (tabs) and no return-to data ever
 * travels through WeChat's redirect URI.
 */
import type { KeyValueStore } from '@koa-auth/core';
import type { OfficialAccountScope } from '../client/index.js';

export type OaMode = 'login' | 'bind';

export interface OaStateRecord {
  v: 1;
  mode: OaMode;
  scope: OfficialAccountScope;
  /** A same-site path. */
  next: string;
  /** The user to bind to (bind mode). */
  userId: number | null;
  /** base64url SHA-256 of the per-flow cookie secret. */
  browser: string;
  expiresAt: number;
}

export interface OaClaim {
  mode: OaMode;
  next: string;
}

/** States are 32 characters of `[A-Za-z0-9]` (WeChat allows at most 128 of these). */
export const OA_STATE_PATTERN = /^[A-Za-z0-9]{32}$/;

/** The OA flow's state and claim records under `prefix` in `store` (see the module comment). */
export class OaRecords {
  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix: string,
  ) {}

  /** Store (or replace) the pending record of `state`, expiring after `ttlMs`. */
  async save(state: string, record: OaStateRecord, ttlMs: number): Promise<void> {
    await this.store.set(this.key('state', state), JSON.stringify(record), ttlMs);
  }

  /** The pending record of `state`; null when malformed, unknown, expired or unreadable (no store read for a malformed state). */
  async load(state: string): Promise<OaStateRecord | null> {
    if (!OA_STATE_PATTERN.test(state)) return null;
    return parse<OaStateRecord>(await this.store.get(this.key('state', state)));
  }

  /** True for the first caller only (per state). */
  claim(state: string, claim: OaClaim, ttlMs: number): Promise<boolean> {
    return this.store.setIfAbsent(this.key('claim', state), JSON.stringify(claim), ttlMs);
  }

  /** What the first callback of `state` claimed (so duplicates go where it went), or null. */
  async claimOf(state: string): Promise<OaClaim | null> {
    if (!OA_STATE_PATTERN.test(state)) return null;
    return parse<OaClaim>(await this.store.get(this.key('claim', state)));
  }

  /** Delete the pending record, so the state cannot be called back again (the claim stays until it expires). */
  async forget(state: string): Promise<void> {
    await this.store.delete(this.key('state', state));
  }

  private key(kind: 'state' | 'claim', state: string): string {
    return `${this.prefix}${kind}:${state}`;
  }
}

function parse<T>(raw: string | null): T | null {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
