// Summarise a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per package.
//
//   node lib/profile-summary.mjs FILE.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './common.mjs';

/** Where a script comes from: a package name, "node:internal", or V8's pseudo-frames. */
export function categoryOf(url, functionName) {
  if (!url) {
    if (['(garbage collector)', '(idle)', '(program)', '(root)'].includes(functionName)) return functionName;
    return '(native)';
  }
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

/** { totalMs, functions: [{name, where, category, selfMs, pct}], categories: [{category, selfMs, pct}] } */
export function summarise(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
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
  return {
    totalMs: total,
    functions: [...fns.values()].sort((a, b) => b.selfMs - a.selfMs).map((f) => ({ ...f, pct: pct(f.selfMs) })),
    categories: [...cats].map(([category, selfMs]) => ({ category, selfMs, pct: pct(selfMs) })).sort((a, b) => b.selfMs - a.selfMs),
  };
}

/** A plain-text report of the top functions and packages (idle time left out of the shares). */
export function formatSummary(summary, top = 25) {
  const busy = summary.totalMs - (summary.categories.find((c) => c.category === '(idle)')?.selfMs ?? 0);
  const share = (ms) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  const lines = [`sampled ${(summary.totalMs / 1000).toFixed(2)} s, busy (non-idle) ${(busy / 1000).toFixed(2)} s; shares are of busy time`, '', 'self time by package:'];
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
    console.error('usage: node lib/profile-summary.mjs FILE.cpuprofile [--top 25]');
    process.exit(2);
  }
  console.log(formatSummary(summarise(JSON.parse(readFileSync(file, 'utf8'))), Number(args.top ?? 25)));
}
