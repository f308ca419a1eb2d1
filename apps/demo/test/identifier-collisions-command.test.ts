/**
 * The CLI's side of the canonical-identifier migration, run in-process on a SQLite file: with
 * accounts that differ only by case, `migrate` refuses (listing them) and
 * `identifier-collisions` lists them with exit code 1; once resolved, both succeed. Then the
 * other commands find users by email or username in any case.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coreMigrations, createKnex, IdentifierCollisionError, migrationSource } from '@koa-auth/core';
import type { CommandIo } from '../src/cli/command.js';
import { findCommand } from '../src/cli/commands.js';
import { createsuperuserCommand } from '../src/cli/createsuperuser.js';
import { grantCommand } from '../src/cli/grant.js';
import { identifierCollisionsCommand } from '../src/cli/identifier-collisions.js';
import { migrateCommand } from '../src/cli/migrate.js';
import { loadConfig } from '../src/config/config.js';

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'koa-auth-collisions-'));
  env = { DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'demo.db')}`, SECRET_KEY: 'a-test-secret-key-that-is-long-enough-0123456789' };
  // A database from before core/0003: two accounts differing only by the case of the email.
  const knex = createKnex(env.DATABASE_URL!);
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

function io(args: string[] = []): CommandIo & { lines: string[] } {
  const lines: string[] = [];
  return {
    args,
    env,
    lines,
    config: () => loadConfig(env),
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
    prompter: () => {
      throw new Error('no questions expected');
    },
  };
}

test('is a registered command', () => {
  expect(findCommand('identifier-collisions')).toBe(identifierCollisionsCommand);
});

test('migrate refuses while accounts collide; the command lists them and what to do', async () => {
  const migrate = io();
  const error = await migrateCommand.run(migrate).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(IdentifierCollisionError);
  expect((error as Error).message).toContain('email "ann@example.com": #1 (username "ann", email "Ann@example.com"), #2 (username "ann2", email "ann@example.com")');

  const list = io();
  expect(await identifierCollisionsCommand.run(list)).toBe(1);
  expect(list.lines.join('\n')).toContain('1 group(s) of accounts would be one account:');
  expect(list.lines.join('\n')).toContain('email "ann@example.com": #1 (username "ann", email "Ann@example.com"), #2');
  expect(list.lines.join('\n')).toContain('then run `migrate` again');
  expect(list.lines.join('\n')).not.toContain('ben');
});

test('once resolved, the list is empty and migrate applies', async () => {
  const knex = createKnex(env.DATABASE_URL!);
  await knex('auth_user').where('username', 'ann2').update({ email: 'ann.two@example.com' });
  await knex.destroy();
  const list = io();
  expect(await identifierCollisionsCommand.run(list)).toBe(0);
  expect(list.lines).toContain('No accounts collide.');
  const migrate = io();
  await migrateCommand.run(migrate);
  expect(migrate.lines).toContain('  Applied core/0003_canonical_identifiers');
});

test('--sync rewrites canonical columns an older writer left out of date', async () => {
  const knex = createKnex(env.DATABASE_URL!);
  await knex('auth_user').insert({ password: '!', username: 'Late', email: 'Late@example.com', date_joined: new Date() });
  await knex.destroy();
  const list = io();
  expect(await identifierCollisionsCommand.run(list)).toBe(1);
  expect(list.lines.join('\n')).toContain('1 row(s) have out-of-date canonical columns');
  const sync = io(['--sync']);
  expect(await identifierCollisionsCommand.run(sync)).toBe(0);
  expect(sync.lines).toContain('Rewrote the canonical columns of 1 row(s).');
  expect(await identifierCollisionsCommand.run(io())).toBe(0);
});

test('commands find users by email or username in any case, and createsuperuser refuses one differing by case', async () => {
  const grant = io(['ANN@EXAMPLE.COM', 'auth.view_user']);
  expect(await grantCommand.run(grant)).toBe(0);
  expect(grant.lines).toContain("Granted auth.view_user to 'ann'.");
  const byName = io(['BEN', 'auth.view_user']);
  expect(await grantCommand.run(byName)).toBe(0);
  expect(byName.lines).toContain("Granted auth.view_user to 'ben'.");

  const taken = io(['--noinput', '--username', 'ANN', '--email', 'BEN@example.com']);
  expect(await createsuperuserCommand.run(taken)).toBe(1);
  expect(taken.lines).toEqual(expect.arrayContaining(['Error: username: A user with that username already exists.', 'Error: email: A user with that email address already exists.']));
});
