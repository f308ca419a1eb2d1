import type { Cluster, Redis } from 'ioredis';
import { ServiceUnavailable } from '../errors.js';
import type { KeyValueStore } from './key-value-store.js';
import { connectRedis } from './connect-redis.js';
import type { RedisConnection } from './redis-connection.js';

/** Options of {@link RedisStore}'s constructor. */
export interface RedisStoreOptions<C extends RedisConnection = RedisConnection> {
  /**
   * The connection to use. The store does not own it: `close()` leaves it open (see
   * {@link RedisStore.close}). Give it a `commandTimeout` and a small `maxRetriesPerRequest`,
   * or commands wait as long as Redis is away (see {@link RedisStore.fromUrl} for settings).
   */
  client: C;
  /** Put before every key and channel so apps and test runs sharing one Redis never collide (default `'koa-auth:'`). */
  prefix?: string;
  /**
   * Called when a subscriber throws. The default writes to `console.error` (channel name only:
   * messages may carry tokens).
   */
  onSubscriberError?: (error: unknown, channel: string) => void;
}

/** Options of {@link RedisStore.fromUrl}. */
export interface RedisStoreUrlOptions {
  /** See {@link RedisStoreOptions.prefix}. */
  prefix?: string;
  /** How long one command may take, queueing while disconnected included (default 1000 ms). */
  commandTimeoutMs?: number;
  /** See {@link RedisStoreOptions.onSubscriberError}. */
  onSubscriberError?: (error: unknown, channel: string) => void;
}

type Connection = Redis | Cluster;

/** One `subscribe()` call; a distinct object so the same function can subscribe twice. */
interface Handler {
  onMessage: (message: string) => void;
}

/**
 * Redis-side state of one (prefixed) channel. `queue` serialises SUBSCRIBE/UNSUBSCRIBE for the
 * channel so overlapping subscribe/unsubscribe calls cannot leave Redis and `handlers` disagreeing.
 */
interface ChannelState {
  handlers: Set<Handler>;
  subscribed: boolean;
  queue: Promise<void>;
}

const DEFAULT_PREFIX = 'koa-auth:';
const DEFAULT_COMMAND_TIMEOUT_MS = 1000;

// A Lua script keeps INCR and PEXPIRE atomic, and sets the expiry only when the counter is
// created: later increments must not push the window back (PEXPIRE ... NX would need Redis 7).
const INCREMENT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

// Replies that mean "Redis is there but cannot serve right now", as opposed to a caller's mistake.
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY)\b/;

/**
 * A {@link KeyValueStore} on Redis ≥ 6.2 (ioredis), shared by every instance of an app: use it as
 * soon as more than one process serves requests.
 *
 * Every key and channel is prefixed with {@link prefix}. Each operation is one atomic Redis
 * command (or a transaction/script on a single key), so it also works on Redis Cluster.
 * When Redis cannot be reached or does not answer in time, operations reject with
 * {@link ServiceUnavailable} (the ioredis error is its `cause`); Redis' own error replies
 * (e.g. `WRONGTYPE`) are passed through unchanged.
 *
 * Pub/sub uses a second connection (a subscribed Redis connection can run nothing else),
 * created with `client.duplicate()` on the first `subscribe()`.
 */
export class RedisStore<C extends RedisConnection = RedisConnection> implements KeyValueStore {
  /**
   * The connection for commands; other code (e.g. rate-limiter-flexible) may reuse it. Typed as
   * the connection given to the constructor (`fromUrl`: a {@link RedisConnection}, an ioredis `Redis`).
   */
  readonly client: C;
  /** Put before every key and channel name. */
  readonly prefix: string;

  /** Set by fromUrl only: close() then closes `client` too. */
  private ownsClient: boolean;
  private readonly onSubscriberError: (error: unknown, channel: string) => void;
  private readonly channels = new Map<string, ChannelState>();
  private subscriber: Connection | undefined;
  private closing: Promise<void> | undefined;

  // The same object as `client`, with ioredis' own type for the commands used here.
  private readonly redis: Connection;

  constructor(options: RedisStoreOptions<C>) {
    this.client = options.client;
    this.redis = options.client as unknown as Connection;
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    this.onSubscriberError = options.onSubscriberError ?? reportSubscriberError;
    this.ownsClient = false;
  }

  /**
   * A store with its own connection, which `close()` then closes. Settings aim at failing fast
   * and healing alone: commands issued while (re)connecting wait for the connection (so the
   * first requests after start-up do not fail), but for at most `commandTimeoutMs` and one
   * reconnection attempt; the client keeps reconnecting in the background for as long as Redis
   * is away.
   */
  static fromUrl(url: string, options: RedisStoreUrlOptions = {}): RedisStore {
    const client = connectRedis(url, {
      commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
      // disconnect() arms this timer even when the socket is already gone (Redis down), and
      // it would then hold the process open for its full length (2 s by default).
      disconnectTimeout: 200,
    });
    // Connection errors surface as rejected commands (ServiceUnavailable); without a listener
    // ioredis would also print every failed reconnection attempt.
    client.on('error', ignore);
    const store = new RedisStore<RedisConnection>({ client, prefix: options.prefix, onSubscriberError: options.onSubscriberError });
    store.ownsClient = true;
    return store;
  }

  async get(key: string): Promise<string | null> {
    return this.run(() => this.redis.get(this.key(key)));
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const k = this.key(key);
    if (ttlMs === undefined) {
      await this.run(() => this.redis.set(k, value));
    } else {
      const ttl = validTtl(ttlMs);
      await this.run(() => this.redis.set(k, value, 'PX', ttl));
    }
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const k = this.key(key);
    if (ttlMs === undefined) {
      return (await this.run(() => this.redis.set(k, value, 'NX'))) === 'OK';
    }
    const ttl = validTtl(ttlMs);
    return (await this.run(() => this.redis.set(k, value, 'PX', ttl, 'NX'))) === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.run(() => this.redis.del(this.key(key)));
  }

  async getAndDelete(key: string): Promise<string | null> {
    return this.run(() => this.redis.getdel(this.key(key)));
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const ttl = validTtl(ttlMs);
    const result = await this.run(() => this.redis.eval(INCREMENT_SCRIPT, 1, this.key(key), ttl));
    return Number(result);
  }

  async ttl(key: string): Promise<number | null> {
    const ms = await this.run(() => this.redis.pttl(this.key(key)));
    // PTTL answers -2 for a missing key and -1 for a key without expiry.
    return ms < 0 ? null : ms;
  }

  async addToSet(key: string, member: string, ttlMs?: number): Promise<void> {
    const k = this.key(key);
    if (ttlMs === undefined) {
      await this.run(() => this.redis.sadd(k, member));
      return;
    }
    const ttl = validTtl(ttlMs);
    await this.run(async () => checkTransaction(await this.redis.multi().sadd(k, member).pexpire(k, ttl).exec()));
  }

  async removeFromSet(key: string, member: string): Promise<void> {
    await this.run(() => this.redis.srem(this.key(key), member));
  }

  async setMembers(key: string): Promise<string[]> {
    return this.run(() => this.redis.smembers(this.key(key)));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.run(() => this.redis.publish(this.key(channel), message));
  }

  /**
   * Resolves once Redis confirmed the SUBSCRIBE, so a message published afterwards (from any
   * instance) is received. Handlers run in the order they subscribed; a throwing handler is
   * reported to `onSubscriberError` and does not stop the others. The returned function stops
   * delivery to this handler at once and never rejects: the Redis-side UNSUBSCRIBE, sent when a
   * channel's last handler leaves, is best effort (ioredis resubscribes after a reconnect anyway).
   */
  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    const name = this.key(channel);
    const state = this.channelState(name);
    const handler: Handler = { onMessage };
    state.handlers.add(handler);
    try {
      await this.reconcile(name, state);
    } catch (error) {
      state.handlers.delete(handler);
      this.forgetIfIdle(name, state);
      throw toStoreError(error);
    }
    return async () => {
      if (!state.handlers.delete(handler)) return;
      await this.reconcile(name, state).catch(ignore);
    };
  }

  /**
   * Closes the subscriber connection this store created and, only when the store was made by
   * {@link RedisStore.fromUrl}, the command connection too. A client passed to the constructor
   * stays open: whoever created it (and may share it) closes it.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const state of this.channels.values()) state.handlers.clear();
    this.channels.clear();
    const connections = [this.subscriber, this.ownsClient ? this.redis : undefined];
    await Promise.all(connections.map((connection) => connection && closeConnection(connection)));
  }

  private key(name: string): string {
    return this.prefix + name;
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw toStoreError(error);
    }
  }

  private channelState(name: string): ChannelState {
    let state = this.channels.get(name);
    if (!state) {
      state = { handlers: new Set(), subscribed: false, queue: Promise.resolve() };
      this.channels.set(name, state);
    }
    return state;
  }

  /** Queue a step bringing Redis in line with `state.handlers`; resolves when that step is done. */
  private reconcile(name: string, state: ChannelState): Promise<void> {
    const step = state.queue.then(async () => {
      const wanted = state.handlers.size > 0;
      if (wanted && !state.subscribed) {
        await this.subscriberConnection().subscribe(name);
        state.subscribed = true;
      } else if (!wanted && state.subscribed && this.subscriber) {
        await this.subscriber.unsubscribe(name);
        state.subscribed = false;
      }
      this.forgetIfIdle(name, state);
    });
    state.queue = step.catch(ignore);
    return step;
  }

  private forgetIfIdle(name: string, state: ChannelState): void {
    if (state.handlers.size === 0 && !state.subscribed && this.channels.get(name) === state) {
      this.channels.delete(name);
    }
  }

  private subscriberConnection(): Connection {
    if (this.closing) throw new Error('RedisStore is closed');
    if (!this.subscriber) {
      const subscriber = this.redis.duplicate();
      subscriber.on('error', ignore);
      subscriber.on('message', (name: string, message: string) => this.dispatch(name, message));
      this.subscriber = subscriber;
    }
    return this.subscriber;
  }

  private dispatch(name: string, message: string): void {
    const state = this.channels.get(name);
    if (!state) return;
    for (const handler of [...state.handlers]) {
      // An earlier handler may have unsubscribed this one.
      if (!state.handlers.has(handler)) continue;
      try {
        handler.onMessage(message);
      } catch (error) {
        // Never let it escape into ioredis' reply parser.
        this.onSubscriberError(error, name.slice(this.prefix.length));
      }
    }
  }
}

/** Same rule as MemoryStore: positive, rounded up to whole milliseconds (what PX accepts). */
function validTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}

/** EXEC reports each command's error in its result instead of rejecting. */
function checkTransaction(results: [error: Error | null, result: unknown][] | null): void {
  if (!results) throw new Error('Redis transaction was aborted');
  for (const [error] of results) if (error) throw error;
}

function toStoreError(error: unknown): unknown {
  if (isReplyError(error) && !UNAVAILABLE_REPLY.test((error as Error).message)) return error;
  if (error instanceof ServiceUnavailable) return error;
  const unavailable = new ServiceUnavailable('key-value store');
  unavailable.cause = error;
  return unavailable;
}

/** Redis' own error reply (ioredis' ReplyError, from redis-errors, named after its class). */
function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}

/** QUIT when connected (lets Redis finish pending replies), otherwise just drop the connection. */
async function closeConnection(connection: Connection): Promise<void> {
  if (connection.status === 'end') return;
  const ended = new Promise<void>((resolve) => connection.once('end', () => resolve()));
  if (connection.status === 'ready') {
    await connection.quit().catch(() => connection.disconnect());
  } else {
    connection.disconnect();
  }
  // While waiting to reconnect there is no socket, and ioredis emits no 'end' for it.
  if (connection.status === 'reconnecting') return;
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 1000);
  });
  await Promise.race([ended, giveUp]);
  clearTimeout(timer);
}

function reportSubscriberError(error: unknown, channel: string): void {
  console.error(`[koa-auth] a subscriber of channel ${JSON.stringify(channel)} threw`, error);
}

function ignore(): void {}
