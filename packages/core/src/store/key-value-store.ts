/**
 * The one key-value interface behind sessions, token registries, QR-login state, throttling
 * counters and pub/sub. Values are strings (callers JSON-encode); TTLs are milliseconds.
 * Implementations: MemoryStore (single process, the default) and RedisStore (ioredis, shared
 * between instances).
 */
export interface KeyValueStore {
  /** The value, or null when missing or expired. */
  get(key: string): Promise<string | null>;
  /** Store a value; with `ttlMs` it expires after that many milliseconds. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Store only when the key does not exist; true when this call stored it (Redis SET NX). */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  /** Remove a key; missing keys are fine. */
  delete(key: string): Promise<void>;
  /** Atomically read and remove: of concurrent callers at most one gets the value (Redis GETDEL). */
  getAndDelete(key: string): Promise<string | null>;
  /** Atomically add 1 and return the new value; a new counter expires after `ttlMs`. */
  increment(key: string, ttlMs: number): Promise<number>;
  /** Milliseconds until the key expires; null when missing or without expiry. */
  ttl(key: string): Promise<number | null>;
  /** Add a member to a set; `ttlMs` (re)sets the whole set's expiry. */
  addToSet(key: string, member: string, ttlMs?: number): Promise<void>;
  /** Remove a member from a set. */
  removeFromSet(key: string, member: string): Promise<void>;
  /** All members of a set (empty when missing). */
  setMembers(key: string): Promise<string[]>;
  /** Deliver a message to every subscriber of the channel, in this and (for Redis) other processes. */
  publish(channel: string, message: string): Promise<void>;
  /** Receive messages on a channel until the returned function is called. Resolves once subscribed. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
  /** Release connections and timers. */
  close(): Promise<void>;
}
