/**
 * The demo's manage.py-style CLI, run as a user would (`node apps/demo/dist/cli.js …`, settings
 * from the environment, answers on stdin): migrate, createsuperuser (interactive and
 * --noinput), changepassword, grant/revoke, and their error messages and exit codes.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDemoEnv, type DemoEnv } from './support/demo-env.js';

let env: DemoEnv;

beforeAll(async () => {
  env = await createDemoEnv('cli');
});

afterAll(async () => {
  await env?.destroy();
});

test('help lists the commands; an unknown command is refused', async () => {
  const help = await env.cli(['help']);
  expect(help.code).toBe(0);
  for (const name of ['start', 'serve', 'migrate', 'createsuperuser', 'changepassword', 'grant']) expect(help.stdout).toContain(name);
  const unknown = await env.cli(['frobnicate']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('Unknown command: frobnicate');
});

test('commands that need tables say to migrate first', async () => {
  const result = await env.cli(['grant', 'nobody', 'auth.view_user']);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('run the `migrate` command first');
});

test('migrate applies core and WeChat migrations once, and keeps the secret key', async () => {
  const first = await env.cli(['migrate']);
  expect(first.code).toBe(0);
  expect(first.stdout).toContain('Applied core/0001_initial');
  expect(first.stdout).toContain('Applied wechat/0001_profiles');
  const second = await env.cli(['migrate']);
  expect(second.stdout).toContain('No migrations to apply.');
  // The key file was made by the first command of this installation and is kept.
  const keyFile = join(env.dataDir, 'secret_key');
  expect(existsSync(keyFile)).toBe(true);
  expect(readFileSync(keyFile, 'utf8').trim().length).toBeGreaterThanOrEqual(32);
});

test('createsuperuser asks again for refused answers and never echoes the password', async () => {
  const answers = [
    '', // blank username
    'root!', // invalid characters
    'root',
    'not-an-email',
    'root@example.com',
    '', // no phone
    'Admin-Horse-42',
    'something else', // mismatch
    '12345',
    '12345', // refused by validators…
    'n', // …and not bypassed
    'Admin-Horse-42',
    'Admin-Horse-42',
  ];
  const result = await env.cli(['createsuperuser'], { input: `${answers.join('\n')}\n` });
  expect(result.stderr).toContain('Error: This field cannot be blank.');
  expect(result.stderr).toContain('Error: Enter a valid username.');
  expect(result.stderr).toContain('Error: Enter a valid email address.');
  expect(result.stderr).toContain("Error: Your passwords didn't match.");
  expect(result.stderr).toContain('This password is too short.');
  expect(result.stdout).toContain('Superuser created successfully.');
  expect(result.stdout + result.stderr).not.toContain('Admin-Horse-42');
  expect(result.code).toBe(0);

  const taken = await env.cli(['createsuperuser', '--username', 'root'], { input: '' });
  expect(taken.code).toBe(1);
  expect(taken.stderr).toContain('That username is already taken.');
});

test('createsuperuser --noinput reads KOA_AUTH_SUPERUSER_* and reports every bad field', async () => {
  const missing = await env.cli(['createsuperuser', '--noinput']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('KOA_AUTH_SUPERUSER_USERNAME');

  const bad = await env.cli(['createsuperuser', '--noinput'], { env: { KOA_AUTH_SUPERUSER_USERNAME: 'admin', KOA_AUTH_SUPERUSER_PASSWORD: 'admin' } });
  expect(bad.code).toBe(1);
  // Every problem, on one line.
  expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  expect(bad.stderr).toMatch(/^Error: password: .*password: This password is too short\./);

  const ok = await env.cli(['createsuperuser', '--no-input'], {
    env: {
      KOA_AUTH_SUPERUSER_USERNAME: 'admin',
      KOA_AUTH_SUPERUSER_EMAIL: 'admin@example.com',
      KOA_AUTH_SUPERUSER_PHONE: '+86 139 0000 0001',
      KOA_AUTH_SUPERUSER_PASSWORD: 'Correct-Horse-42',
    },
  });
  expect(ok).toMatchObject({ code: 0 });
});

test('changepassword asks twice, applies the validators, gives up after three attempts', async () => {
  const aborted = await env.cli(['changepassword', 'admin'], { input: 'a\nb\n123\n123\nshort\nshort\n' });
  expect(aborted.code).toBe(1);
  expect(aborted.stdout).toContain("Changing password for user 'admin'");
  expect(aborted.stderr).toContain('Passwords do not match. Please try again.');
  expect(aborted.stderr).toContain("Aborting password change for user 'admin' after 3 attempts.");

  // Found by phone number too.
  const changed = await env.cli(['changepassword', '13900000001'], { input: 'Brand-New-Horse-7\nBrand-New-Horse-7\n' });
  expect(changed.stdout).toContain("Password changed successfully for user 'admin'.");
  expect(changed.code).toBe(0);

  const nobody = await env.cli(['changepassword', 'nobody']);
  expect(nobody.code).toBe(1);
  expect(nobody.stderr).toContain('No user matches "nobody".');
});

test('grant refuses unknown permissions and lists the known ones', async () => {
  const result = await env.cli(['grant', 'admin', 'auth.view_usr']);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('Unknown permission auth.view_usr.');
  expect(result.stderr).toContain('auth.view_user');
  const usage = await env.cli(['grant', 'admin']);
  expect(usage.code).toBe(1);
  expect(usage.stderr).toContain('Usage: koa-auth-demo grant');
});
