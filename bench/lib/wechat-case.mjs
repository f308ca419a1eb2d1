// The WeChat QR login case: two app instances (servers/wechat-app.mjs, pinned to the server
// CPU) sharing Redis and a MariaDB database, the WeChat emulator and the measuring client
// (lib/wechat-client.mjs) pinned to the other CPU. Reports the p99 of N confirm → `confirmed`
// latencies. Runs only when @koa-auth/wechat exports the QR flow.
import { spawn } from 'node:child_process';
import { spawnServer } from './common.mjs';

const QR_EXPORTS = ['createWechat', 'createWechatRouter', 'wechatRoutes'];

export async function runWechatCase({ log, serverCpu, loadCpu = '1', redis, mysql, runId, benchDir, wechatBuilt, n = 200, warmup = 20 }) {
  let mod = null;
  if (wechatBuilt) {
    try {
      mod = await import('@koa-auth/wechat');
    } catch (error) {
      log(`wechat: cannot import @koa-auth/wechat: ${error.message}`);
    }
  }
  if (!mod || !QR_EXPORTS.every((name) => typeof mod[name] === 'function')) {
    return { status: 'not run', note: 'not run: wechat QR flow unavailable' };
  }

  const core = await import('@koa-auth/core');
  const database = `koa_auth_bench_wechat_${runId}`;
  const base = mysql.replace(/\/$/, '');
  const admin = core.createKnex(`${base}/`);
  const prefix = `koa-auth-bench:${runId}:wechat:`;
  const started = [];
  try {
    await admin.raw(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.raw(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const dbUrl = `${base}/${database}`;
    const knex = core.createKnex(dbUrl);
    try {
      await knex.migrate.latest({ migrationSource: core.migrationSource(core.coreMigrations, mod.wechatMigrations) });
    } finally {
      await knex.destroy();
    }

    const emulator = await start('servers/wechat-emulator.mjs', [], loadCpu, benchDir);
    started.push(emulator);
    const appArgs = ['--db', dbUrl, '--store', redis, '--prefix', prefix, '--emulator', emulator.url];
    const a = await start('servers/wechat-app.mjs', appArgs, serverCpu, benchDir);
    started.push(a);
    const b = await start('servers/wechat-app.mjs', appArgs, serverCpu, benchDir);
    started.push(b);
    log(`wechat: emulator ${emulator.url}, instance A ${a.url}, instance B ${b.url}; ${warmup} warm-up + ${n} measured logins`);

    const out = await runClient(
      ['lib/wechat-client.mjs', '--a', a.url, '--b', b.url, '--emulator', emulator.url, '--n', String(n), '--warmup', String(warmup)],
      loadCpu,
      benchDir,
    );
    const latencies = JSON.parse(out.trim().split('\n').pop()).latencies;
    const sorted = [...latencies].sort((x, y) => x - y);
    const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
    const latency = { n: sorted.length, p50: pct(50), p90: pct(90), p99: pct(99), max: sorted[sorted.length - 1] };
    log(`wechat: p50 ${latency.p50.toFixed(2)} ms, p90 ${latency.p90.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms, max ${latency.max.toFixed(2)} ms`);
    return {
      status: 'ok',
      p99Ms: latency.p99,
      latency: Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, Math.round(v * 100) / 100])),
      note: `${sorted.length} logins; p50 ${latency.p50.toFixed(1)} ms, p90 ${latency.p90.toFixed(1)} ms, max ${latency.max.toFixed(1)} ms`,
    };
  } finally {
    for (const p of started.reverse()) await p.stop();
    await admin.raw(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
    await admin.destroy();
    await deletePrefix(redis, prefix).catch(() => undefined);
  }
}

function start(script, args, cpu, cwd) {
  return spawnServer(script, 'taskset', ['-c', cpu, process.execPath, script, '--port', '0', ...args], { cwd });
}

function runClient(args, cpu, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', cpu, process.execPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`wechat client failed (${code}):\n${err}`))));
  });
}

async function deletePrefix(url, prefix) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
