/**
 * The QR login's records in the key-value store (all JSON, all expiring):
 * - `state:<state>`: who started it (browser binding hash, mode, user to bind) and its expiry;
 * - `claim:<state>`: set-if-absent by the first callback, so a duplicate never exchanges again;
 * - `outcome:<state>`: what the callback decided; taken exactly once by `complete` (get-and-delete).
 * Changes are announced on the channel `channel:<state>`; the message is only a nudge
 * (`{ "status": … }`), subscribers re-read the store, which stays the single source of truth.
 */
import type { KeyValueStore } from '@koa-auth/core';
import type { BrowserBinding } from './browser-binding.js';
import type { QrLoginMode, QrLoginReason } from './qr-types.js';

export interface QrStateRecord {
  v: 1;
  mode: QrLoginMode;
  appid: string;
  browser: BrowserBinding;
  /** The user to bind to (bind mode). */
  userId: number | null;
  createdAt: number;
  /** Epoch ms after which the callback refuses the state. */
  expiresAt: number;
}

export type QrOutcome = { status: 'confirmed'; userId: number; profileId: number | null } | { status: 'denied' | 'error'; reason: QrLoginReason };

/** States are 32 characters of `[A-Za-z0-9]`: anything else is refused before touching the store. */
export const STATE_PATTERN = /^[A-Za-z0-9]{32}$/;

/** The QR login's state, claim and outcome records under `prefix` in `store` (see the module comment). */
export class QrRecords {
  constructor(
    readonly store: KeyValueStore,
    private readonly prefix: string,
  ) {}

  /** The pub/sub channel announcing changes of `state`'s outcome. */
  channel(state: string): string {
    return `${this.prefix}channel:${state}`;
  }

  /** Store (or replace) the record of `state`, expiring after `ttlMs`. */
  async saveState(state: string, record: QrStateRecord, ttlMs: number): Promise<void> {
    await this.store.set(this.key('state', state), JSON.stringify(record), ttlMs);
  }

  /** The record of `state`; null when malformed, unknown, expired or unreadable (no store read for a malformed state). */
  async loadState(state: string): Promise<QrStateRecord | null> {
    if (!STATE_PATTERN.test(state)) return null;
    return parse<QrStateRecord>(await this.store.get(this.key('state', state)));
  }

  /** True for the first caller only (per state). */
  claim(state: string, ttlMs: number): Promise<boolean> {
    return this.store.setIfAbsent(this.key('claim', state), '1', ttlMs);
  }

  /** True once a callback has claimed `state` (read-only; `claim` is the atomic take). */
  async isClaimed(state: string): Promise<boolean> {
    return (await this.store.get(this.key('claim', state))) !== null;
  }

  /** Store the callback's outcome for `complete` (expiring after `ttlMs`), then announce its status on the channel. */
  async saveOutcome(state: string, outcome: QrOutcome, ttlMs: number): Promise<void> {
    await this.store.set(this.key('outcome', state), JSON.stringify(outcome), ttlMs);
    await this.store.publish(this.channel(state), JSON.stringify({ status: outcome.status }));
  }

  /** The outcome without taking it (status reads, duplicate callbacks), or null. */
  async peekOutcome(state: string): Promise<QrOutcome | null> {
    return parse<QrOutcome>(await this.store.get(this.key('outcome', state)));
  }

  /** The outcome, removed: of concurrent callers at most one gets it. */
  async takeOutcome(state: string): Promise<QrOutcome | null> {
    return parse<QrOutcome>(await this.store.getAndDelete(this.key('outcome', state)));
  }

  /** Forget a finished state, so it can be neither completed nor called back again. */
  async forget(state: string): Promise<void> {
    await this.store.delete(this.key('state', state));
    await this.store.delete(this.key('outcome', state));
  }

  private key(kind: 'state' | 'claim' | 'outcome', state: string): string {
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
