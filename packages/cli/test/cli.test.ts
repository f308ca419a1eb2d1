/**
 * The `koa-auth` CLI, run in-process through runCli() against a configuration file in a
 * folder of its own (a default-export function, so each command opens and closes its own
 * connections, as a separate process would). The demo's CLI and the quick start run the same
 * commands as real processes (test/e2e/cli.test.ts, .ci/quickstart.sh).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createKnex, type KeyValueStore, type User } from '@koa-auth/core';
import { SessionStore } from '@koa-auth/koa/internal';
import { TokenService } from '@koa-auth/koa';
import { runCli } from '../src/run-cli.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const dir = join(here, '.tmp', `cli-${process.pid}`);
const SECRET = 'cli-test-secret-0123456789abcdefghijklmnop';
let databaseUrl: string;
let dropDatabase: () => Promise<void> = async () => undefined;
/** The store every command's config shares (like a Redis server shared by processes). */
let shared: { store: KeyValueStore; memory: KeyValueStore };

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const mysql = process.env.DATABASE_URL;
  if (mysql && /^(mysql|mariadb):/.test(mysql)) {
    const name = `katcli_${process.pid}`;
    const admin = createKnex(mysql);
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const url = new URL(mysql);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.destroy();
    };
  } else {
    databaseUrl = `sqlite:${join(dir, 'app.db')}`;
  }
  // The default export is called once per command; the store outlives them (close is a no-op).
  writeFileSync(
    join(dir, 'koa-auth.config.mjs'),
    `import { createAuth, createKnex, MemoryStore, MixedLoginBackend } from '@koa-auth/core';
// Stands in for a Redis server shared by processes: a store outside this "process" (not a MemoryStore of its own).
const memory = new MemoryStore();
const methods = ['get', 'set', 'setIfAbsent', 'delete', 'getAndDelete', 'increment', 'ttl', 'addToSet', 'removeFromSet', 'setMembers', 'publish', 'subscribe'];
export const shared = { memory, store: { ...Object.fromEntries(methods.map((m) => [m, (...args) => memory[m](...args)])), close: async () => undefined } };
export default () => ({
  auth: createAuth({ knex: createKnex(${JSON.stringify(databaseUrl)}), store: shared.store, secret: ${JSON.stringify(SECRET)}, backends: [new MixedLoginBackend()] }),
});
`,
  );
  writeFileSync(
    join(dir, 'memory.config.mjs'),
    `import { createAuth, createKnex } from '@koa-auth/core';\nexport const auth = createAuth({ knex: createKnex(${JSON.stringify(databaseUrl)}), secret: ${JSON.stringify(SECRET)} });\n`,
  );
  writeFileSync(join(dir, 'no-auth.config.mjs'), 'export default { nothing: true };\n');
  writeFileSync(
    join(dir, 'short-secret.config.mjs'),
    // (A knex stand-in: the secret is checked before the database is used.)
    `import { createAuth } from '@koa-auth/core';\nexport const auth = createAuth({ knex: () => undefined, secret: 'short' });\n`,
  );
  shared = ((await import(pathToFileURL(join(dir, 'koa-auth.config.mjs')).href)) as { shared: typeof shared }).shared;
});

afterAll(async () => {
  await shared?.memory.close();
  await dropDatabase();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one command line in `dir`; resolves to its exit code and output. */
async function cli(argv: string[], env: Record<string, string> = {}, cwd = dir) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(argv, { cwd, env, out: (l) => stdout.push(l), err: (l) => stderr.push(l) });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

/** A fresh auth on the same database and store, for checks from the test's side. */
async function openAuth() {
  const module = (await import(pathToFileURL(join(dir, 'koa-auth.config.mjs')).href)) as { default: () => { auth: import('@koa-auth/core').Auth<User> } };
  return module.default().auth;
}

describe('koa-auth CLI', () => {
  it('lists its commands, describes each with --help, and refuses unknown ones', async () => {
    const help = await cli(['help']);
    expect(help.code).toBe(0);
    for (const name of ['migrate', 'createsuperuser', 'changepassword', 'grant', 'revoke', 'clearsessions']) expect(help.stdout).toContain(name);
    const one = await cli(['migrate', '--help']);
    expect(one).toMatchObject({ code: 0 });
    expect(one.stdout).toContain('Usage: koa-auth migrate [--list]');
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("Error: Unknown command: frobnicate. Run 'koa-auth help' for the list.");
  });

  it('finds the configuration by its conventional name or --config, and says so in one line when it cannot', async () => {
    const missing = await cli(['migrate'], {}, here);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error: No koa-auth\.config\.mjs in .*: create one .*--config PATH\.$/);
    const wrongPath = await cli(['migrate', '--config', 'nowhere.mjs']);
    expect(wrongPath.code).toBe(1);
    expect(wrongPath.stderr).toMatch(/^Error: No configuration file at .*nowhere\.mjs \(--config\)\.$/);
    const noAuth = await cli(['migrate', '--config=no-auth.config.mjs']);
    expect(noAuth.code).toBe(1);
    expect(noAuth.stderr).toMatch(/must export the auth object from createAuth\(\)/);
    // A configuration that throws while loading: its message, one line, no stack.
    const broken = await cli(['--config', 'short-secret.config.mjs', 'migrate']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      /^Error: .*short-secret\.config\.mjs could not be loaded: ImproperlyConfigured: createAuth needs a secret of at least 32 characters\.$/,
    );
  });

  it('stops commands on an unmigrated database with a hint', async () => {
    const result = await cli(['grant', 'nobody', 'auth.view_user']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is not migrated: run the `migrate` command first\.$/);
  });

  it('migrate --list shows what is pending; migrate applies core and installed plugins, once', async () => {
    const before = await cli(['migrate', '--list']);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('[ ] core/0001_initial');
    expect(before.stdout).toContain('[ ] wechat/0001_profiles');
    const first = await cli(['migrate']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Applied core/0001_initial');
    expect(first.stdout).toContain('Applied wechat/0001_profiles');
    expect((await cli(['migrate'])).stdout).toContain('No migrations to apply.');
    expect((await cli(['migrate', '--list'])).stdout).toContain('[X] core/0001_initial');
  });

  it('createsuperuser --noinput takes KOA_AUTH_SUPERUSER_PASSWORD and refuses bad input in one line', async () => {
    const noName = await cli(['createsuperuser', '--noinput']);
    expect(noName).toMatchObject({ code: 1, stderr: 'Error: With --noinput, set KOA_AUTH_SUPERUSER_USERNAME (or pass --username).' });
    const weak = await cli(['createsuperuser', '--noinput', '--username', 'root'], { KOA_AUTH_SUPERUSER_PASSWORD: 'root' });
    expect(weak.code).toBe(1);
    expect(weak.stderr.split('\n')).toHaveLength(1);
    expect(weak.stderr).toContain('password: This password is too short.');
    const ok = await cli(['createsuperuser', '--noinput', '--username', 'root', '--email', 'root@example.com'], {
      KOA_AUTH_SUPERUSER_PASSWORD: 'Admin-Horse-42',
    });
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout + ok.stderr).not.toContain('Admin-Horse-42');
    const auth = await openAuth();
    try {
      const root = await auth.users.getByNaturalKey('root');
      expect(root).toMatchObject({ isSuperuser: true, isStaff: true, email: 'root@example.com' });
      expect(await auth.checkPassword(root!, 'Admin-Horse-42')).toBe(true);
    } finally {
      await auth.knex.destroy();
    }
    const again = await cli(['createsuperuser', '--noinput', '--username', 'root'], { KOA_AUTH_SUPERUSER_PASSWORD: 'Admin-Horse-42' });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Error: username: /);
  });

  it('grant and revoke a permission for a user or a group', async () => {
    const auth = await openAuth();
    try {
      await auth.users.createUser({ username: 'alice', password: 'Alice-Horse-42' });
      expect((await cli(['grant', 'alice', 'auth.view_user'])).stdout).toBe("Granted auth.view_user to 'alice'.");
      const alice = async () => (await auth.users.getByNaturalKey('alice'))!;
      expect(await auth.hasPerm(await alice(), 'auth.view_user')).toBe(true);
      expect((await cli(['revoke', 'alice', 'auth.view_user'])).code).toBe(0);
      expect(await auth.hasPerm(await alice(), 'auth.view_user')).toBe(false);

      expect((await cli(['grant', '--group', 'staff', 'auth.change_user'])).stdout).toBe("Granted auth.change_user to group 'staff'.");
      const rows = await auth
        .knex('auth_group_permissions')
        .join('auth_group', 'auth_group.id', 'auth_group_permissions.group_id')
        .where('auth_group.name', 'staff');
      expect(rows).toHaveLength(1);
      expect((await cli(['revoke', '--group', 'staff', 'auth.change_user'])).code).toBe(0);
      expect(await auth.knex('auth_group_permissions')).toHaveLength(0);

      const unknown = await cli(['grant', 'alice', 'auth.view_usr']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/^Error: Unknown permission auth\.view_usr\. Known permissions: .*auth\.view_user/);
      const usage = await cli(['grant', 'alice']);
      expect(usage.code).toBe(1);
      expect(usage.stderr).toContain('Usage: koa-auth grant');
      expect((await cli(['grant', 'nobody', 'auth.view_user'])).stderr).toBe('Error: No user matches "nobody".');
    } finally {
      await auth.knex.destroy();
    }
  });

  it('clearsessions drops ended sessions and expired token families from the indexes, keeps live ones', async () => {
    const auth = await openAuth();
    try {
      const user = (await auth.users.getByNaturalKey('alice'))!;
      const sessions = new SessionStore(shared.store);
      // Short-lived first: each addition sets the index's own expiry.
      await sessions.set('b'.repeat(43), { authUserId: user.id }, 30);
      await sessions.set('a'.repeat(43), { authUserId: user.id }, 60_000);
      const tokens = new TokenService(auth);
      await tokens.issue(user);
      await tokens.issue(user);
      // One family's record expires (its key is gone from the store); its id stays listed.
      const [expired] = await shared.store.setMembers(`tokens:user:${user.id}`);
      await shared.store.delete(`tokens:family:${expired}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const result = await cli(['clearsessions']);
      expect(result).toMatchObject({ code: 0, stdout: 'Checked 2 user(s): removed 1 expired session(s) and 1 expired token family.' });
      expect((await sessions.userSessions(user.id)).map(([id]) => id)).toEqual(['a'.repeat(43)]);
      expect(await new TokenService(auth).listFamilies(String(user.id))).toHaveLength(1);
      expect((await cli(['clearsessions'])).stdout).toContain('removed 0 expired session(s) and 0 expired token families');
      // A store in the CLI's own memory holds none of the server's sessions: said, not pretended.
      const memory = await cli(['clearsessions', '--config', 'memory.config.mjs']);
      expect(memory.code).toBe(1);
      expect(memory.stderr).toMatch(/^Error: The configuration's store is in memory/);
    } finally {
      await auth.knex.destroy();
    }
  });
});
