// koa-auth soak test (not part of CI): mixed traffic against one full app for a long while,
// reporting throughput over time and the server's heap. See README.md, section "Soak".
//
//   node bench/soak.mjs [--seconds 300] [--warmup 30] [--concurrency 8]
//                       [--store redis://127.0.0.1:6379 | --memory] [--db sqlite | --db mysql://root@127.0.0.1:3306]
//                       [--json FILE] [--interval 10] [--wechat-every 5] [--wrong-password-every 4]
//                       [--scrypt-logn N] [--max-ratio 1.2] [--heap-snapshots [DIR]]
//
// The app (servers/soak-app.mjs, under `node --expose-gc`) and the WeChat emulator
// (servers/soak-emulator.mjs) run as child processes; this process is the load generator:
// --concurrency workers, each looping over scenarios (lib/soak-client.mjs). Every --interval
// seconds it prints the request rate of the interval, the errors so far and the server's
// heapUsed after two forced GCs (GET /__heap on the server). The heap after warm-up is the
// baseline; the heap at the end (still under load, like the baseline) must be within
// --max-ratio of it. Exit code 1 when it is not, or when any request failed.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { cpuTimes, processTicks } from './lib/cpu.mjs';
import { parseArgs, spawnServer } from './lib/common.mjs';
import { passwordScenario, SoakStats, wechatScenario, wechatUserFor } from './lib/soak-client.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const args = parseArgs();
if (args.help || args.h) {
  console.log(readUsage());
  process.exit(0);
}

const num = (value, fallback) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${value}`);
  return n;
};
const config = {
  seconds: num(args.seconds, 300),
  warmup: num(args.warmup, 30),
  concurrency: Math.max(1, Math.floor(num(args.concurrency, 8))),
  interval: Math.max(1, num(args.interval, 10)),
  store: args.memory || args.store === 'memory' ? 'memory' : String(args.store ?? 'redis://127.0.0.1:6379'),
  db: String(args.db ?? 'sqlite'),
  wechatEvery: Math.floor(num(args['wechat-every'], 5)),
  wrongPasswordEvery: Math.floor(num(args['wrong-password-every'], 4)),
  wechatUsers: Math.floor(num(args['wechat-users'], 20_000)),
  scryptLogN: args['scrypt-logn'] === undefined ? null : Math.floor(num(args['scrypt-logn'])),
  maxRatio: num(args['max-ratio'], 1.2),
  json: args.json ? resolve(process.env.INIT_CWD ?? process.cwd(), String(args.json)) : null,
  heapSnapshots: args['heap-snapshots'] ?? false,
};
if (config.warmup >= config.seconds) throw new Error('--warmup must be shorter than --seconds');

const RUN_ID = `${process.pid}`;
const TAG = Date.now().toString(36);
const log = (...parts) => console.log(...parts);
const children = [];
const cleanups = [];
let interrupted = false;

process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  log('\ninterrupted: stopping the load and cleaning up (Ctrl-C again to quit at once)');
});

async function main() {
  const core = await import('@koa-auth/core');
  const wechat = await import('@koa-auth/wechat');
  const machine = machineInfo();
  log(
    `soak: ${config.seconds} s (${config.warmup} s warm-up), ${config.concurrency} workers; store ${config.store === 'memory' ? 'memory (in the server process)' : config.store}; db ${config.db}`,
  );
  log(`machine: ${machine.nproc} CPUs (${machine.cpuModel}), ${machine.memGb} GB, Node ${machine.node}, load average ${machine.loadAtStart.join(' ')}`);

  // Database: a fresh SQLite file in a temp dir, or a fresh MariaDB/MySQL database.
  const tmp = mkdtempSync(join(tmpdir(), 'koa-auth-soak-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  let dbUrl;
  let sqliteFile = null;
  if (config.db === 'sqlite') {
    sqliteFile = join(tmp, 'soak.db');
    dbUrl = `sqlite:${sqliteFile}`;
  } else if (/^(mysql|mariadb):/.test(config.db)) {
    const server = new URL(config.db);
    if (server.pathname.length > 1) log(`note: the database name in --db is ignored; the soak uses its own database`);
    server.pathname = '/';
    const database = `koa_auth_soak_${RUN_ID}`;
    const admin = core.createKnex(server.toString());
    await admin.raw(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.raw(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    cleanups.push(async () => {
      await admin.raw(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
      await admin.destroy();
    });
    server.pathname = `/${database}`;
    dbUrl = server.toString();
  } else {
    throw new Error(`--db: sqlite or mysql://user@host:port, got ${config.db}`);
  }
  const knex = core.createKnex(dbUrl);
  try {
    await knex.migrate.latest({ migrationSource: core.migrationSource(core.coreMigrations, wechat.wechatMigrations) });
  } finally {
    await knex.destroy();
  }

  // Redis: a prefix of our own, deleted at the end.
  const prefix = `koa-auth-soak:${RUN_ID}:${TAG}:`;
  if (config.store !== 'memory') cleanups.push(() => deletePrefix(config.store, prefix));

  let snapshotDir = null;
  if (config.heapSnapshots) {
    snapshotDir =
      config.heapSnapshots === true
        ? join(tmpdir(), `koa-auth-soak-snapshots-${RUN_ID}`)
        : resolve(process.env.INIT_CWD ?? process.cwd(), String(config.heapSnapshots));
    mkdirSync(snapshotDir, { recursive: true });
  }

  const emulator = await startChild('servers/soak-emulator.mjs', ['--users', String(config.wechatUsers)]);
  const appArgs = ['--db', dbUrl, '--store', config.store, '--prefix', prefix, '--emulator', emulator.url];
  if (config.scryptLogN !== null) appArgs.push('--scrypt-logn', String(config.scryptLogN));
  if (snapshotDir) appArgs.push('--snapshot-dir', snapshotDir);
  const app = await startChild('servers/soak-app.mjs', appArgs, ['--expose-gc']);
  log(`app ${app.url} (pid ${app.pid}), emulator ${emulator.url} (pid ${emulator.pid})`);

  const heap = async () => {
    const response = await fetch(`${app.url}/__heap`, { signal: AbortSignal.timeout(30_000) });
    if (response.status !== 200) throw new Error(`/__heap: HTTP ${response.status}`);
    return response.json();
  };
  const snapshot = async (label) => {
    if (!snapshotDir) return null;
    const t0 = performance.now();
    const { file } = await (await fetch(`${app.url}/__heap/snapshot`, { signal: AbortSignal.timeout(300_000) })).json();
    log(`  heap snapshot (${label}): ${file} (${((performance.now() - t0) / 1000).toFixed(1)} s, the server was stopped meanwhile)`);
    return file;
  };

  // The load.
  const stats = new SoakStats();
  const start = performance.now();
  let stopping = false;
  let k = 0;
  let wechatN = 0;
  // Heap snapshots stop the server's event loop for seconds, long enough for its Redis
  // commands to time out (1 s): the load pauses around them (workers finish their scenario).
  let pause = null;
  let busyWorkers = 0;
  const worker = async () => {
    while (!stopping && !interrupted) {
      if (pause) {
        await pause.promise;
        continue;
      }
      busyWorkers += 1;
      k += 1;
      const iteration = k;
      if (config.wechatEvery > 0 && iteration % config.wechatEvery === 0) {
        const { user, isNew } = wechatUserFor(wechatN++, config.wechatUsers);
        await wechatScenario({ base: app.url, emulator: emulator.url, stats, user, isNew });
      } else {
        await passwordScenario({ base: app.url, stats, k: iteration, tag: TAG, wrongPasswordEvery: config.wrongPasswordEvery });
      }
      busyWorkers -= 1;
    }
  };
  const pausedSnapshot = async (label) => {
    let release;
    pause = { promise: new Promise((r) => (release = r)) };
    while (busyWorkers > 0) await new Promise((r) => setTimeout(r, 10));
    try {
      return await snapshot(label);
    } finally {
      pause = null;
      release();
    }
  };
  const workers = Array.from({ length: config.concurrency }, () => worker());

  // The clock: a sample at every interval, at the end of the warm-up and at the end.
  const marks = new Set([config.warmup, config.seconds]);
  for (let t = config.interval; t < config.seconds; t += config.interval) marks.add(t);
  const times = [...marks].sort((a, b) => a - b);
  const samples = [];
  const latencyBySample = new Map(); // sample → its sorted latencies (kept out of the JSON)
  let last = {
    t: 0,
    requests: 0,
    iterations: 0,
    wechat: 0,
    serverTicks: processTicks(app.pid),
    emulatorTicks: processTicks(emulator.pid),
    cpu: cpuTimes(),
    own: process.cpuUsage(),
  };
  let baseline = null;
  let final = null;
  const snapshots = {};
  log('');
  log(`  elapsed   req/s   it/s  p50 ms  p99 ms  errors  CPU: server  load gen.  others (of ${cpus().length})  heapUsed (after GC)  rss`);
  for (const mark of times) {
    const wait = start + mark * 1000 - performance.now();
    if (wait > 0) await sleepUnlessInterrupted(wait);
    if (interrupted) break;
    const now = performance.now();
    const t = (now - start) / 1000;
    const requests = stats.requests;
    const iterations = stats.iterations.password + stats.iterations.wechat;
    const lat = stats.takeLatencies().sort((a, b) => a - b);
    const cpu = cpuTimes();
    const serverTicks = processTicks(app.pid);
    const emulatorTicks = processTicks(emulator.pid);
    const own = process.cpuUsage();
    const h = await heap();
    const span = t - last.t;
    const machineBusy = busyShare(last.cpu, cpu);
    const sample = {
      t: round(t, 1),
      requests: requests - last.requests,
      rps: round((requests - last.requests) / span, 1),
      iterations: iterations - last.iterations,
      iterationsPerSecond: round((iterations - last.iterations) / span, 2),
      wechatLogins: stats.iterations.wechat - last.wechat,
      p50Ms: round(pct(lat, 50), 1),
      p99Ms: round(pct(lat, 99), 1),
      errors: stats.errors,
      // CPU as a share of one core (the server's scrypt runs on libuv threads: it can exceed 1).
      serverCpu: round((serverTicks - last.serverTicks) / 100 / span, 2),
      emulatorCpu: round((emulatorTicks - last.emulatorTicks) / 100 / span, 2),
      driverCpu: round((own.user + own.system - last.own.user - last.own.system) / 1e6 / span, 2),
      machineBusy: round(machineBusy, 2),
      // Everything else on the machine (Redis, MariaDB, other people's work), in cores.
      otherCpu: 0,
      heapUsed: h.heapUsed,
      heapTotal: h.heapTotal,
      rss: h.rss,
      external: h.external,
      arrayBuffers: h.arrayBuffers,
      storeEntries: h.storeEntries,
      mark: mark === config.warmup ? 'baseline' : mark === config.seconds ? 'final' : undefined,
    };
    sample.otherCpu = round(Math.max(0, machineBusy * cpus().length - sample.serverCpu - sample.emulatorCpu - sample.driverCpu), 2);
    samples.push(sample);
    latencyBySample.set(sample, lat);
    last = { t, requests, iterations, wechat: stats.iterations.wechat, serverTicks, emulatorTicks, cpu, own };
    log(
      `  ${fmtT(t)}  ${pad(sample.rps.toFixed(0), 6)}  ${pad(sample.iterationsPerSecond.toFixed(1), 5)}  ${pad(sample.p50Ms.toFixed(1), 6)}  ${pad(sample.p99Ms.toFixed(1), 6)}  ${pad(stats.errors, 6)}  ${pad(`${(sample.serverCpu * 100).toFixed(0)}%`, 11)}  ${pad(`${((sample.driverCpu + sample.emulatorCpu) * 100).toFixed(0)}%`, 9)}  ${pad(`${(sample.otherCpu * 100).toFixed(0)}%`, 15)}  ${pad(mb(h.heapUsed), 19)}  ${mb(h.rss)}` +
        (h.storeEntries !== null ? `  store entries ${h.storeEntries}` : '') +
        (sample.mark ? `  ← ${sample.mark}` : ''),
    );
    if (mark === config.warmup) {
      baseline = sample;
      snapshots.baseline = await pausedSnapshot('baseline; the load paused for it');
    }
    if (mark === config.seconds) final = sample;
  }

  stopping = true;
  await Promise.all(workers);
  const drained = await heap();
  if (!interrupted) snapshots.drained = await snapshot('after the load, drained');
  const elapsed = (performance.now() - start) / 1000;
  const storeKeys = config.store === 'memory' ? drained.storeEntries : await countPrefix(config.store, prefix);
  const dbBytes = sqliteFile ? fileBytes(sqliteFile) + fileBytes(`${sqliteFile}-wal`) : null;
  const serverStderr = app.stderr();
  machine.loadAtEnd = loadavg().map((x) => x.toFixed(2));

  // Summary.
  const ratio = baseline && final ? final.heapUsed / baseline.heapUsed : null;
  const heapOk = ratio !== null && ratio <= config.maxRatio;
  const pass = heapOk && stats.errors === 0 && !interrupted;
  const measured = samples.filter((s) => s.t > config.warmup + 1e-6);
  const measuredRequests = measured.reduce((a, s) => a + s.requests, 0);
  const measuredSpan = final && baseline ? final.t - baseline.t : null;
  const rpsValues = measured.map((s) => s.rps);
  log('');
  log(
    `Summary (${round(elapsed, 0)} s; ${stats.requests} app requests, ${stats.iterations.password} password iterations, ${stats.iterations.wechat} WeChat logins — ${stats.wechatLogins.new} new, ${stats.wechatLogins.returning} returning WeChat users)`,
  );
  log('');
  log("| window | requests | req/s | iterations/s | WeChat logins | p50 ms | p99 ms | server CPU | other processes' CPU | heapUsed at end (after GC) |");
  log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const w of windows(samples, 60, latencyBySample)) {
    log(
      `| ${w.from}–${w.to} s${w.warmup ? ' (warm-up)' : ''} | ${w.requests} | ${w.rps.toFixed(0)} | ${w.itps.toFixed(1)} | ${w.wechat} | ${w.p50.toFixed(1)} | ${w.p99.toFixed(1)} | ${(w.cpu * 100).toFixed(0)}% | ${(w.others * 100).toFixed(0)}% | ${mb(w.heapUsed)} |`,
    );
  }
  log('');
  log('| | value |');
  log('|---|---|');
  log(
    `| throughput after warm-up | ${measuredSpan ? (measuredRequests / measuredSpan).toFixed(0) : '-'} req/s (intervals: min ${Math.min(...rpsValues).toFixed(0)}, max ${Math.max(...rpsValues).toFixed(0)}; first ${rpsValues[0]?.toFixed(0)}, last ${rpsValues.at(-1)?.toFixed(0)}) |`,
  );
  log(`| heapUsed after warm-up (baseline, after GC) | ${baseline ? mb(baseline.heapUsed) : '-'} at ${baseline?.t ?? '-'} s |`);
  log(`| heapUsed at the end (after GC) | ${final ? mb(final.heapUsed) : '-'} at ${final?.t ?? '-'} s |`);
  log(`| ratio final / baseline | **${ratio === null ? '-' : ratio.toFixed(3)}** (limit ${config.maxRatio}) |`);
  log(`| heapUsed after the load stopped (after GC) | ${mb(drained.heapUsed)} |`);
  log(`| rss baseline → end | ${baseline ? mb(baseline.rss) : '-'} → ${final ? mb(final.rss) : '-'} |`);
  log(
    `| errors | ${stats.errors}${
      stats.errors
        ? ` (${Object.entries(stats.errorsByStep)
            .map(([s, n]) => `${s}: ${n}`)
            .join(', ')})`
        : ''
    } |`,
  );
  log(
    `| expected refusals | ${
      Object.entries(stats.expected)
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ') || 'none'
    } |`,
  );
  log(
    `| store at the end | ${config.store === 'memory' ? `${storeKeys} entries in the server's MemoryStore` : `${storeKeys} Redis keys under the run's prefix (deleted now)`} |`,
  );
  if (dbBytes !== null) log(`| SQLite file at the end | ${mb(dbBytes)} (with WAL) |`);
  log('');
  if (stats.errorSamples.length) {
    log('First errors:');
    for (const e of stats.errorSamples) log(`  ${e}`);
    log('');
  }
  // The server prints nothing when all is well: anything here (errors Koa reports, warnings
  // such as MaxListenersExceededWarning) deserves a look.
  const emulatorStderr = emulator.stderr();
  if (serverStderr.trim()) log(`Server stderr (last lines):\n${serverStderr.trim().split('\n').slice(-30).join('\n')}\n`);
  if (emulatorStderr.trim()) log(`Emulator stderr (last lines):\n${emulatorStderr.trim().split('\n').slice(-30).join('\n')}\n`);
  const verdict = interrupted ? 'FAIL (interrupted)' : pass ? 'PASS' : 'FAIL';
  log(`${verdict}: heap ${ratio === null ? '-' : ratio.toFixed(3)} × baseline (≤ ${config.maxRatio} ${heapOk ? 'ok' : 'NOT MET'}), ${stats.errors} errors`);

  if (config.json) {
    writeFileSync(
      config.json,
      `${JSON.stringify(
        {
          config: { ...config, json: undefined },
          machine,
          startedAt: new Date(Date.now() - elapsed * 1000).toISOString(),
          pass,
          ratio: ratio === null ? null : round(ratio, 4),
          baseline,
          final,
          drained: { heapUsed: drained.heapUsed, heapTotal: drained.heapTotal, rss: drained.rss, storeEntries: drained.storeEntries },
          totals: {
            requests: stats.requests,
            emulatorRequests: stats.emulatorRequests,
            iterations: stats.iterations,
            wechatLogins: stats.wechatLogins,
            steps: stats.steps,
            errors: stats.errors,
            errorsByStep: stats.errorsByStep,
            expected: stats.expected,
            storeKeysAtEnd: storeKeys,
            sqliteBytesAtEnd: dbBytes,
          },
          errorSamples: stats.errorSamples,
          serverStderr: serverStderr.trim().split('\n').slice(-50).filter(Boolean),
          snapshots,
          samples,
        },
        null,
        2,
      )}\n`,
    );
    log(`time series written to ${config.json}`);
  }
  return pass;
}

// ——— helpers ———

async function startChild(script, scriptArgs, nodeFlags = []) {
  const handle = await spawnServer(script, process.execPath, [...nodeFlags, script, '--port', '0', ...scriptArgs], { cwd: BENCH_DIR, stderrLimit: 50_000 });
  children.push(handle);
  return handle;
}

async function redisClient(url) {
  const { Redis } = await import('ioredis');
  return new Redis(url, { maxRetriesPerRequest: 1 });
}

async function scanPrefix(url, prefix, onKeys) {
  const redis = await redisClient(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await onKeys(redis, keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function countPrefix(url, prefix) {
  let n = 0;
  await scanPrefix(url, prefix, (_, keys) => {
    n += keys.length;
  });
  return n;
}

function deletePrefix(url, prefix) {
  return scanPrefix(url, prefix, (redis, keys) => redis.del(...keys));
}

function machineInfo() {
  return {
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAtStart: loadavg().map((x) => x.toFixed(2)),
  };
}

/** Busy share of the whole machine between two /proc/stat readings (0..1). */
function busyShare(a, b) {
  let busy = 0;
  let total = 0;
  for (const key of Object.keys(b)) {
    busy += b[key].busy - (a[key]?.busy ?? 0);
    total += b[key].total - (a[key]?.total ?? 0);
  }
  return total > 0 ? busy / total : 0;
}

/** Samples grouped into windows of `size` seconds after the warm-up (the warm-up is one window). */
function windows(samples, size, latencyBySample) {
  const warmupEnd = samples.find((s) => s.mark === 'baseline')?.t ?? 0;
  const groups = [];
  for (const s of samples) {
    const index = s.t <= warmupEnd + 1e-6 ? -1 : Math.ceil((s.t - warmupEnd) / size - 1e-6) - 1;
    if (groups.length === 0 || groups.at(-1).index !== index) groups.push({ index, samples: [] });
    groups.at(-1).samples.push(s);
  }
  let from = 0;
  return groups.map(({ index, samples: group }) => {
    const to = group.at(-1).t;
    const span = to - from;
    const requests = group.reduce((a, s) => a + s.requests, 0);
    const lat = group.flatMap((s) => latencyBySample.get(s) ?? []).sort((a, b) => a - b);
    const w = {
      from: Math.round(from),
      to: Math.round(to),
      warmup: index === -1,
      requests,
      rps: requests / span,
      itps: group.reduce((a, s) => a + s.iterations, 0) / span,
      wechat: group.reduce((a, s) => a + s.wechatLogins, 0),
      p50: pct(lat, 50),
      p99: pct(lat, 99),
      cpu: weightedCpu(group, from, 'serverCpu'),
      others: weightedCpu(group, from, 'otherCpu'),
      heapUsed: group.at(-1).heapUsed,
    };
    from = to;
    return w;
  });
}

/** A CPU figure of the samples (serverCpu, otherCpu) over a window, time-weighted, in cores. */
function weightedCpu(group, from, field) {
  let prev = from;
  let sum = 0;
  for (const s of group) {
    sum += s[field] * (s.t - prev);
    prev = s.t;
  }
  return sum / Math.max(1e-9, prev - from);
}

function pct(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function fileBytes(file) {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

async function sleepUnlessInterrupted(ms) {
  const until = performance.now() + ms;
  while (!interrupted && performance.now() < until) await new Promise((r) => setTimeout(r, Math.min(250, until - performance.now())));
}

const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const pad = (s, n) => String(s).padStart(n);
const fmtT = (t) => pad(`${t.toFixed(0)} s`, 7);

function readUsage() {
  return `usage: node bench/soak.mjs [--seconds 300] [--warmup 30] [--concurrency 8]
       [--store redis://127.0.0.1:6379 | --memory] [--db sqlite | --db mysql://root@127.0.0.1:3306]
       [--json FILE] [--interval 10] [--wechat-every 5] [--wrong-password-every 4] [--wechat-users 20000]
       [--scrypt-logn N] [--max-ratio 1.2] [--heap-snapshots [DIR]]
See bench/README.md, section "Soak".`;
}

let ok = false;
try {
  ok = await main();
} catch (error) {
  console.error(`\nSOAK FAILED: ${error.stack ?? error}`);
} finally {
  for (const child of children.reverse()) await child.stop().catch(() => undefined);
  for (const cleanup of cleanups.reverse())
    await Promise.resolve()
      .then(cleanup)
      .catch((e) => console.error(`cleanup: ${e.message}`));
}
process.exit(ok ? 0 : 1);
