/**
 * The one key-value interface behind sessions, token registries, QR-login state, throttling
 * counters and pub/sub. Values are strings (callers JSON-encode); TTLs are milliseconds, must be
 * positive (anything else rejects with a RangeError) and round up to whole milliseconds.
 * Implementations: MemoryStore (single process, the default) and RedisStore (ioredis, shared
 * between instances). Both follow Redis semantics: strings and sets share one key space, and
 * using a key as the other kind rejects with a `WRONGTYPE` error. When the backing service cannot
 * be reached in time, operations reject with ServiceUnavailable.
 */
export interface KeyValueStore {
  /** The value, or null when missing or expired. */
  get(key: string): Promise<string | null>;
  /** Store a value, replacing any earlier value and expiry; with `ttlMs` it expires after that many milliseconds. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Store only when the key does not exist; true when this call stored it (Redis SET NX). */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  /** Remove a key; missing keys are fine. */
  delete(key: string): Promise<void>;
  /** Atomically read and remove: of concurrent callers at most one gets the value (Redis GETDEL). */
  getAndDelete(key: string): Promise<string | null>;
  /**
   * Atomically add 1 and return the new value. A new counter (one that reaches 1) expires after
   * `ttlMs`; later increments keep that expiry, so a fixed window cannot be stretched.
   */
  increment(key: string, ttlMs: number): Promise<number>;
  /** Milliseconds until the key expires; null when missing or without expiry. */
  ttl(key: string): Promise<number | null>;
  /** Add a member to a set; `ttlMs` (re)sets the whole set's expiry, without it the expiry is kept. */
  addToSet(key: string, member: string, ttlMs?: number): Promise<void>;
  /** Remove a member from a set; a set left empty disappears. */
  removeFromSet(key: string, member: string): Promise<void>;
  /** All members of a set (empty when missing). */
  setMembers(key: string): Promise<string[]>;
  /** Deliver a message to every subscriber of the channel, in this and (for Redis) other processes. */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Receive messages on a channel until the returned function is called. Resolves once subscribed,
   * so anything published afterwards is delivered. Delivery is asynchronous (never on the
   * publisher's stack) and in publish order; a throwing subscriber does not affect the others.
   */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
  /** Release connections and timers. */
  close(): Promise<void>;
}
