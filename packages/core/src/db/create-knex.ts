import { createRequire } from 'node:module';
import knexFactory, { type Knex } from 'knex';
import { ImproperlyConfigured } from '../errors.js';

/**
 * A knex instance from a database URL, with the settings koa-auth relies on:
 * - `sqlite:path/to/file.db`, `sqlite:///abs/path.db` or `sqlite::memory:` → better-sqlite3 with
 *   foreign keys on and a busy timeout (the embedded default: no server to install);
 * - `mysql://user:pass@host:port/db` (MySQL or MariaDB) → mysql2 with utf8mb4 and UTC, so
 *   dates read back as the instants that were written whatever the server's time zone.
 */
export function createKnex(url: string, overrides: Partial<Knex.Config> = {}, options: CreateKnexOptions = {}): Knex {
  const config = { ...knexConfig(url), ...overrides };
  requireDriver(config.client);
  const knex = knexFactory(config);
  if (url.startsWith('mysql:') || url.startsWith('mariadb:')) limitQueryTime(knex, options.queryTimeoutMs ?? 5_000);
  return knex;
}

export interface CreateKnexOptions {
  /** MySQL: a query not answered within this many ms fails (and its connection is dropped). Default 5 s, like the connect and pool-acquire timeouts. */
  queryTimeoutMs?: number;
}

/**
 * A stalled MySQL server (frozen, partitioned) accepts bytes and never answers, so a query on
 * an already-open connection would wait forever. mysql2 has a per-query `timeout`; knex has no
 * pool-wide setting, so every query it sends gets one here.
 */
function limitQueryTime(knex: Knex, timeoutMs: number): void {
  type QueryObject = { sql?: string; options?: Record<string, unknown> } | string;
  const client = knex.client as { _query(connection: unknown, obj: QueryObject): Promise<unknown> };
  const send = client._query.bind(client);
  client._query = (connection, obj) => {
    const query = typeof obj === 'string' ? { sql: obj } : obj;
    if (query) query.options = { timeout: timeoutMs, ...query.options };
    return send(connection, query);
  };
}

// The drivers are optional peers: an app installs the one its database needs.
const DRIVERS: Record<string, string> = { 'better-sqlite3': 'better-sqlite3', mysql2: 'mysql2' };

/** Fails with one clear line naming the package to install when the URL's driver is missing. */
function requireDriver(client: Knex.Config['client']): void {
  const driver = typeof client === 'string' ? DRIVERS[client] : undefined;
  if (!driver) return;
  try {
    createRequire(import.meta.url).resolve(driver);
  } catch {
    throw new ImproperlyConfigured(`createKnex: a ${driver === 'mysql2' ? 'MySQL' : 'SQLite'} database needs the ${driver} package: npm install ${driver}`);
  }
}

/** The knex configuration `createKnex` would use, for apps that build knex themselves. */
export function knexConfig(url: string): Knex.Config {
  if (url.startsWith('sqlite:')) return sqliteConfig(sqlitePath(url));
  if (url.startsWith('mysql:') || url.startsWith('mariadb:')) return mysqlConfig(new URL(url));
  throw new Error(`Unsupported database URL scheme in ${redactUrl(url)}: use sqlite: or mysql:`);
}

function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  if (rest === ':memory:' || rest === '//:memory:') return ':memory:';
  // sqlite:///abs/path → /abs/path ; sqlite:relative/path → relative/path
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

function sqliteConfig(filename: string): Knex.Config {
  return {
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
        // Foreign keys are off by default in SQLite; WAL lets readers run beside the writer.
        conn.pragma('foreign_keys = ON');
        cachePreparedStatements(conn);
        conn.pragma('busy_timeout = 5000');
        if (filename !== ':memory:') conn.pragma('journal_mode = WAL');
        done(null, conn);
      },
    },
  };
}

interface SqliteConnection {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * knex's better-sqlite3 dialect prepares every query anew, and preparing costs more than
 * running a primary-key lookup (bench/README.md). The same SQL text reuses its statement here;
 * SQLite re-prepares a statement by itself after a schema change, so reuse is always safe.
 */
function cachePreparedStatements(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      // Generated SQL (e.g. IN lists of varying length) must not grow the cache without bound.
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
      statement = prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}

function mysqlConfig(url: URL): Knex.Config {
  return {
    client: 'mysql2',
    connection: {
      host: url.hostname || '127.0.0.1',
      port: url.port ? Number(url.port) : 3306,
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
      charset: 'utf8mb4',
      timezone: 'Z',
      connectTimeout: 5000,
    },
    pool: { min: 0, max: 10 },
    acquireConnectionTimeout: 5000,
  };
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  }
}
