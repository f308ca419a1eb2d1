import type { KeyValueStore } from './key-value-store.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * How often expired entries are swept, in milliseconds (default 60 000). Reads already ignore
   * expired entries; the sweep only bounds memory held by keys nobody reads again. `0` disables it.
   */
  sweepIntervalMs?: number;
  /**
   * Called when a subscriber throws. The default writes to `console.error` (channel name only:
   * messages may carry tokens).
   */
  onSubscriberError?: (error: unknown, channel: string) => void;
}

type Entry = { kind: 'string'; value: string; expiresAt: number | null } | { kind: 'set'; members: Set<string>; expiresAt: number | null };

/** One `subscribe()` call; `active` is cleared on unsubscribe so queued deliveries are dropped. */
interface Subscription {
  onMessage: (message: string) => void;
  active: boolean;
}

const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/**
 * A {@link KeyValueStore} in this process's memory: the default, for a single instance and for
 * tests. Nothing is shared between processes, so do not use it behind a load balancer.
 *
 * It mirrors Redis where callers could notice a difference: reading a set as a string (or the
 * reverse) rejects with a `WRONGTYPE` error, incrementing a non-integer rejects, an emptied set
 * disappears, and messages reach subscribers asynchronously.
 */
export class MemoryStore implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();
  private readonly channels = new Map<string, Set<Subscription>>();
  private readonly onSubscriberError: (error: unknown, channel: string) => void;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    const interval = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    if (!Number.isFinite(interval) || interval < 0) {
      throw new RangeError(`sweepIntervalMs must be a non-negative number, got ${interval}`);
    }
    this.onSubscriberError = options.onSubscriberError ?? reportSubscriberError;
    if (interval > 0) {
      this.sweepTimer = setInterval(() => this.sweep(), interval);
      // The sweep is housekeeping only: it must never keep the process alive on its own.
      this.sweepTimer.unref();
    }
  }

  async get(key: string): Promise<string | null> {
    return this.stringEntry(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.entries.set(key, { kind: 'string', value, expiresAt: expiryFrom(ttlMs) });
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const expiresAt = expiryFrom(ttlMs);
    if (this.live(key)) return false;
    this.entries.set(key, { kind: 'string', value, expiresAt });
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async getAndDelete(key: string): Promise<string | null> {
    const entry = this.stringEntry(key);
    if (!entry) return null;
    this.entries.delete(key);
    return entry.value;
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const ttl = validTtl(ttlMs);
    const entry = this.stringEntry(key);
    const current = entry ? parseCounter(entry.value) : 0;
    const next = current + 1;
    // Same rule as RedisStore's script: the expiry is set when the counter is created (reaches
    // 1) and later increments keep it, so a window cannot be stretched by hitting it.
    const expiresAt = next === 1 ? Date.now() + ttl : (entry?.expiresAt ?? null);
    this.entries.set(key, { kind: 'string', value: String(next), expiresAt });
    return next;
  }

  async ttl(key: string): Promise<number | null> {
    const entry = this.live(key);
    if (!entry || entry.expiresAt === null) return null;
    return Math.max(0, entry.expiresAt - Date.now());
  }

  async addToSet(key: string, member: string, ttlMs?: number): Promise<void> {
    const expiresAt = expiryFrom(ttlMs);
    const entry = this.setEntry(key);
    if (entry) {
      entry.members.add(member);
      if (expiresAt !== null) entry.expiresAt = expiresAt;
    } else {
      this.entries.set(key, { kind: 'set', members: new Set([member]), expiresAt });
    }
  }

  async removeFromSet(key: string, member: string): Promise<void> {
    const entry = this.setEntry(key);
    if (!entry) return;
    entry.members.delete(member);
    // Redis deletes a set when its last member goes; so do we, so `ttl` etc. agree.
    if (entry.members.size === 0) this.entries.delete(key);
  }

  async setMembers(key: string): Promise<string[]> {
    return [...(this.setEntry(key)?.members ?? [])];
  }

  async publish(channel: string, message: string): Promise<void> {
    for (const subscription of this.channels.get(channel) ?? []) {
      // Asynchronous like Redis: the publisher never runs subscriber code on its own stack,
      // and an unsubscribe before delivery drops the message.
      queueMicrotask(() => {
        if (!subscription.active) return;
        try {
          subscription.onMessage(message);
        } catch (error) {
          this.onSubscriberError(error, channel);
        }
      });
    }
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    const subscription: Subscription = { onMessage, active: true };
    let subscriptions = this.channels.get(channel);
    if (!subscriptions) {
      subscriptions = new Set();
      this.channels.set(channel, subscriptions);
    }
    subscriptions.add(subscription);
    return async () => {
      subscription.active = false;
      const current = this.channels.get(channel);
      if (!current) return;
      current.delete(subscription);
      if (current.size === 0) this.channels.delete(channel);
    };
  }

  /** Stops the sweep timer and drops all subscriptions. Data stays readable until garbage-collected. */
  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const subscriptions of this.channels.values()) {
      for (const subscription of subscriptions) subscription.active = false;
    }
    this.channels.clear();
  }

  /** The entry if present and not expired; expired entries are removed on the way. */
  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private stringEntry(key: string): Extract<Entry, { kind: 'string' }> | undefined {
    const entry = this.live(key);
    if (entry && entry.kind !== 'string') throw wrongType(key);
    return entry;
  }

  private setEntry(key: string): Extract<Entry, { kind: 'set' }> | undefined {
    const entry = this.live(key);
    if (entry && entry.kind !== 'set') throw wrongType(key);
    return entry;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}

/**
 * TTLs must be positive; fractions round up to whole milliseconds (what Redis PX accepts).
 * Zero or negative is rejected rather than guessed at ("never expires"? "already expired"?).
 */
function validTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}

function expiryFrom(ttlMs: number | undefined): number | null {
  return ttlMs === undefined ? null : Date.now() + validTtl(ttlMs);
}

function parseCounter(value: string): number {
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new Error('ERR value is not an integer or out of range');
  }
  return Number(value);
}

function wrongType(key: string): Error {
  return new Error(`WRONGTYPE Operation against a key holding the wrong kind of value (key ${JSON.stringify(key)})`);
}

function reportSubscriberError(error: unknown, channel: string): void {
  console.error(`[koa-auth] a subscriber of channel ${JSON.stringify(channel)} threw`, error);
}
