// Shared by the driver and the server scripts: fixed bench credentials, argument parsing, the
// READY handshake, shutdown that flushes --cpu-prof, and the knex query counter.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
export const USERNAME = 'benchuser';
export const PASSWORD = 'Correct-Horse-Battery-Staple-42';
/** 100 permissions: the first 50 granted directly, the last 50 through a group. */
export const PERMISSIONS = Array.from({ length: 100 }, (_, i) => `bench.perm_${String(i).padStart(3, '0')}`);
export const PERM_GROUP = 'bench-group';
export const TWO_WEEKS_MS = 14 * 24 * 60 * 60 * 1000;

/** `--name value` and `--flag` arguments into an object. */
export function parseArgs(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[name] = true;
    else {
      out[name] = next;
      i += 1;
    }
  }
  return out;
}

/**
 * Listen on 127.0.0.1 and print `READY <url>` for the driver. SIGTERM/SIGINT end the process
 * through process.exit, so `node --cpu-prof` writes its profile.
 */
export async function listen(server, port, onClose = async () => {}) {
  await new Promise((resolve) => server.listen(Number(port ?? 0), '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    server.closeAllConnections?.();
    try {
      await Promise.race([onClose(), new Promise((r) => setTimeout(r, 2000))]);
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`READY ${url}\n`);
  return url;
}

/**
 * Counts requests (per path) and knex queries; `GET /__stats` answers them as JSON and is not
 * counted itself. Permission queries are those touching auth_permission.
 */
export function statsMiddleware(knex) {
  const stats = { requests: {}, queries: 0, permissionQueries: 0, userQueries: 0 };
  if (knex) {
    knex.on('query', (q) => {
      stats.queries += 1;
      if (q.sql.includes('auth_permission')) stats.permissionQueries += 1;
      else if (/from [`"]?auth_user[`"]?(\s|$)/i.test(q.sql)) stats.userQueries += 1;
    });
  }
  return function stats_(ctx, next) {
    if (ctx.path === '/__stats') {
      ctx.body = stats;
      return undefined;
    }
    stats.requests[ctx.path] = (stats.requests[ctx.path] ?? 0) + 1;
    return next();
  };
}

/** scrypt-kdf, resolved from @koa-auth/core's dependencies (the bench does not list it itself). */
export async function loadScryptKdf() {
  const require = createRequire(fileURLToPath(import.meta.resolve('@koa-auth/core/package.json')));
  const mod = await import(require.resolve('scrypt-kdf'));
  return mod.default ?? mod;
}

/**
 * Start a bench server (`command args…`, which must print `READY <url>`) and wait for it.
 * Returns its url, the child, the tail of its stderr and `stop()` (SIGTERM, SIGKILL after 10 s).
 */
export async function spawnServer(name, command, args, { cwd, stderrLimit = 20_000 } = {}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-stderrLimit)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name}: no READY within 60 s\n${stderr}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    // After READY this rejection is a no-op.
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before READY:\n${stderr}`));
    });
  });
  return {
    url,
    child,
    pid: child.pid,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
