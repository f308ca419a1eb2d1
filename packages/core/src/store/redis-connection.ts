/**
 * An ioredis connection (`new Redis(…)` or `new Cluster(…)`), described by the few members
 * RedisStore's public types need, so that @koa-auth/core's published types resolve without
 * ioredis installed (it is an optional peer: apps on the memory store never install it).
 * RedisStore's `client` keeps the exact type that was passed in.
 */
export interface RedisConnection {
  readonly status: string;
  duplicate(): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}
