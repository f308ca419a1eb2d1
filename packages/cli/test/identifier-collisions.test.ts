/**
 * The CLI's side of the canonical-identifier migration, on a SQLite file of its own: with
 * accounts that differ only by case, `migrate` refuses (listing them) and
 * `identifier-collisions` lists them with exit code 1; once resolved, both succeed. Then the
 * other commands find users by email or username in any case.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreMigrations, createKnex, migrationSource } from '@koa-auth/core';
import { runCli } from '../src/run-cli.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const dir = join(here, '.tmp', `collisions-${process.pid}`);
const databaseUrl = `sqlite:${join(dir, 'app.db')}`;

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'koa-auth.config.mjs'),
    `import { createAuth, createKnex, MixedLoginBackend } from '@koa-auth/core';
export default () => ({ auth: createAuth({ knex: createKnex(${JSON.stringify(databaseUrl)}), secret: 'a-test-secret-key-that-is-long-enough-0123456789', backends: [new MixedLoginBackend()] }) });
`,
  );
  // A database from before core/0003: two accounts differing only by the case of the email.
  const knex = createKnex(databaseUrl);
  await knex.migrate.latest({ migrationSource: migrationSource(coreMigrations.slice(0, 2)) });
  await knex('auth_user').insert([
    { password: '!', username: 'ann', email: 'Ann@example.com', date_joined: new Date() },
    { password: '!', username: 'ann2', email: 'ann@example.com', date_joined: new Date() },
    { password: '!', username: 'ben', email: 'ben@example.com', date_joined: new Date() },
  ]);
  await knex.destroy();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one command line in `dir`; resolves to its exit code and output (stdout and stderr). */
async function cli(argv: string[]) {
  const lines: string[] = [];
  const code = await runCli(argv, { cwd: dir, env: {}, out: (l) => lines.push(l), err: (l) => lines.push(l) });
  return { code, lines, text: lines.join('\n') };
}

test('is listed by help', async () => {
  expect((await cli(['help'])).text).toContain('identifier-collisions');
});

test('migrate refuses while accounts collide; the command lists them and what to do', async () => {
  const migrate = await cli(['migrate']);
  expect(migrate.code).toBe(1);
  expect(migrate.text).toContain('email "ann@example.com": #1 (username "ann", email "Ann@example.com"), #2 (username "ann2", email "ann@example.com")');

  const list = await cli(['identifier-collisions']);
  expect(list.code).toBe(1);
  expect(list.text).toContain('1 group(s) of accounts would be one account:');
  expect(list.text).toContain('email "ann@example.com": #1 (username "ann", email "Ann@example.com"), #2');
  expect(list.text).toContain('then run `migrate` again');
  expect(list.text).not.toContain('ben');
});

test('once resolved, the list is empty and migrate applies', async () => {
  const knex = createKnex(databaseUrl);
  await knex('auth_user').where('username', 'ann2').update({ email: 'ann.two@example.com' });
  await knex.destroy();
  const list = await cli(['identifier-collisions']);
  expect(list.code).toBe(0);
  expect(list.lines).toContain('No accounts collide.');
  const migrate = await cli(['migrate']);
  expect(migrate.code).toBe(0);
  expect(migrate.text).toContain('core/0003_canonical_identifiers');
});

test('--sync rewrites canonical columns an older writer left out of date', async () => {
  const knex = createKnex(databaseUrl);
  await knex('auth_user').insert({ password: '!', username: 'Late', email: 'Late@example.com', date_joined: new Date() });
  await knex.destroy();
  const list = await cli(['identifier-collisions']);
  expect(list.code).toBe(1);
  expect(list.text).toContain('1 row(s) have out-of-date canonical columns');
  const sync = await cli(['identifier-collisions', '--sync']);
  expect(sync.code).toBe(0);
  expect(sync.lines).toContain('Rewrote the canonical columns of 1 row(s).');
  expect((await cli(['identifier-collisions'])).code).toBe(0);
});

test('commands find users by email or username in any case, and createsuperuser refuses one differing by case', async () => {
  const grant = await cli(['grant', 'ANN@EXAMPLE.COM', 'auth.view_user']);
  expect(grant.code).toBe(0);
  expect(grant.text).toContain("'ann'");
  const byName = await cli(['grant', 'BEN', 'auth.view_user']);
  expect(byName.code).toBe(0);
  expect(byName.text).toContain("'ben'");

  const taken = await cli(['createsuperuser', '--noinput', '--username', 'ANN', '--email', 'BEN@example.com']);
  expect(taken.code).toBe(1);
  expect(taken.text).toContain('A user with that username already exists.');
  expect(taken.text).toContain('A user with that email address already exists.');
});
