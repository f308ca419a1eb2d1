import { ServiceUnavailable } from '../errors.js';

/** Driver codes that mean "the database cannot be reached or answer now", not "the query is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_LOCK_WAIT_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/**
 * True when `error` (or what it wraps: objection's `nativeError`, a `cause`) says the database
 * is unreachable, stalled or overloaded — a 503 for the client, not a 500.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const e = error as { name?: unknown; code?: unknown; nativeError?: unknown; cause?: unknown; message?: unknown };
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && /^(Pool is closed|Connection lost|Can't add new command when connection is in closed state)/.test(e.message))
    return true;
  return isDatabaseUnavailable(e.nativeError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}

/** A ServiceUnavailable for a database outage (the driver's error kept as `cause`), or null. */
export function databaseUnavailable(error: unknown): ServiceUnavailable | null {
  if (!isDatabaseUnavailable(error)) return null;
  const wrapped = new ServiceUnavailable('database');
  Object.defineProperty(wrapped, 'cause', { value: error, enumerable: false });
  return wrapped;
}
