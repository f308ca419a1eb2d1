#!/usr/bin/env node
/**
 * Packaging checks, as a publisher and a stranger see the packages (run by .ci/package-checks.sh):
 *
 * 1. `pnpm pack` every package (prepack builds it), then publint (--strict) and
 *    @arethetypeswrong/cli on each tarball.
 * 2. A consumer outside the workspace: plain `npm install` of @koa-auth/core, @koa-auth/koa and
 *    @koa-auth/client from the tarballs (npm `overrides` point every @koa-auth/* name at its
 *    tarball, so nothing of ours comes from the registry) plus the peers koa, knex, objection and
 *    @trpc/server — no WeChat, no database driver, no ioredis. Then `tsc` with `strict` and
 *    without `skipLibCheck` (consumer/app.ts), `require()` from CommonJS (consumer/require.cjs:
 *    Node ≥ 20.19's require(esm), and the missing-driver errors) and `import` (consumer/import.mjs).
 *
 * Exits non-zero on the first failure. KEEP_PACKAGING_DIR=1 keeps the temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (command, args, cwd = root) => {
  console.log(`\n$ ${[command, ...args].join(' ')}   (in ${cwd})`);
  execFileSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, npm_config_yes: 'true' } });
};

/** Every source map in the package points at sources the package ships (its src/). */
function checkSourceMaps(dir) {
  let maps = 0;
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.map')) {
        maps++;
        const map = JSON.parse(readFileSync(path, 'utf8'));
        for (const source of map.sources) {
          if (!existsSync(resolve(dirname(path), map.sourceRoot ?? '', source))) throw new Error(`${path}: source ${source} is not in the package`);
        }
      }
    }
  };
  walk(dir);
  if (maps === 0) throw new Error(`${dir}: no source maps`);
  console.log(`${maps} source maps resolve to shipped sources`);
}

/**
 * @koa-auth/wechat ships no emulator: the emulator is its own package (a devDependency of apps and
 * tests), so the login library neither contains its files, nor carries its bin, nor depends on it.
 */
function checkNoEmulator(dir, manifest) {
  const offending = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/emulator/i.test(path.slice(dir.length))) offending.push(path.slice(dir.length + 1));
      else if (/^[\\/](dist|src)[\\/]/.test(path.slice(dir.length)) && /wechat-emulator|createWechatEmulator/.test(readFileSync(path, 'utf8')))
        offending.push(path.slice(dir.length + 1));
    }
  };
  walk(dir);
  if (offending.length > 0) throw new Error(`@koa-auth/wechat ships emulator code or references: ${offending.join(', ')}`);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    if (manifest[field]?.['@koa-auth/wechat-emulator']) throw new Error(`@koa-auth/wechat lists @koa-auth/wechat-emulator in ${field}`);
  }
  if (manifest.bin) throw new Error('@koa-auth/wechat declares a bin; the emulator bin belongs to @koa-auth/wechat-emulator');
  console.log('@koa-auth/wechat: no emulator files, references or bin');
}

const work = mkdtempSync(join(tmpdir(), 'koa-auth-packaging-'));
try {
  // 1. Pack, then lint each tarball.
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  run('npx', ['-y', 'pnpm@10', '-r', '--filter', './packages/*', 'pack', '--pack-destination', tarballs]);
  const packed = new Map(); // package name → tarball path
  for (const file of readdirSync(tarballs).filter((f) => f.endsWith('.tgz'))) {
    const tarball = join(tarballs, file);
    const unpacked = join(work, 'unpacked', file.replace(/\.tgz$/, ''));
    mkdirSync(unpacked, { recursive: true });
    run('tar', ['xzf', tarball, '-C', unpacked]);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8'));
    packed.set(manifest.name, tarball);
    if (manifest.name === '@koa-auth/wechat') checkNoEmulator(join(unpacked, 'package'), manifest);
    run(bin('publint'), [join(unpacked, 'package'), '--strict', '--pack', 'false']);
    checkSourceMaps(join(unpacked, 'package'));
    // ESM only, loaded by require() through Node ≥ 20.19's require(esm) (tested below): attw's
    // "CJS resolves to ESM" predates require(esm), so that one rule is not applied.
    run(bin('attw'), [tarball, '--ignore-rules', 'cjs-resolves-to-esm']);
  }

  // 2. The consumer: core + koa + client and their required peers, nothing else.
  const versionOf = (name, from) => createRequire(join(root, from, 'package.json'))(`${name}/package.json`).version;
  const consumer = join(work, 'consumer');
  cpSync(join(here, 'consumer'), consumer, { recursive: true });
  const ours = Object.fromEntries([...packed].map(([name, tarball]) => [name, `file:${tarball}`]));
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify(
      {
        name: 'koa-auth-consumer',
        private: true,
        type: 'module',
        dependencies: {
          '@koa-auth/core': ours['@koa-auth/core'],
          '@koa-auth/koa': ours['@koa-auth/koa'],
          '@koa-auth/client': ours['@koa-auth/client'],
          koa: versionOf('koa', 'packages/koa'),
          knex: versionOf('knex', 'packages/core'),
          objection: versionOf('objection', 'packages/core'),
          '@trpc/server': versionOf('@trpc/server', 'packages/koa'),
        },
        devDependencies: { typescript: versionOf('typescript', '.'), '@types/node': versionOf('@types/node', '.') },
        overrides: ours,
      },
      null,
      2,
    ),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], consumer);
  for (const absent of ['@koa-auth/wechat', 'better-sqlite3', 'mysql2', 'ioredis']) {
    if (existsSync(join(consumer, 'node_modules', absent))) throw new Error(`${absent} was installed, but the consumer must work without it`);
  }
  run(join(consumer, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], consumer);
  run(process.execPath, ['require.cjs'], consumer);
  run(process.execPath, ['import.mjs'], consumer);
  console.log('\npackage checks: all green');
} finally {
  if (process.env.KEEP_PACKAGING_DIR) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
