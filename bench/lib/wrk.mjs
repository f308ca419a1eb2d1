// Running wrk (pinned to the load-generator core) and reading its report.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/** Milliseconds from wrk's "1.23ms" / "456.00us" / "1.20s" / "2.00m". */
export function toMs(text) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) throw new Error(`wrk: cannot read latency ${JSON.stringify(text)}`);
  const value = Number(m[1]);
  return { us: value / 1000, ms: value, s: value * 1000, m: value * 60_000 }[m[2]];
}

/** The numbers of one wrk report (run with --latency). */
export function parseWrk(out) {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p99 = /^\s*99%\s+(\S+)/m.exec(out);
  const total = /(\d+) requests in ([\d.]+\w+)/.exec(out);
  if (!rps || !p99 || !total) throw new Error(`wrk: unexpected output:\n${out}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: Number(rps[1]),
    p99Ms: toMs(p99[1]),
    requests: Number(total[1]),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket ? { connect: +socket[1], read: +socket[2], write: +socket[3], timeout: +socket[4] } : null,
  };
}

/**
 * One wrk run: `taskset -c <cpu> wrk -t1 -c<connections> -d<seconds>s --latency [-H …] [-s script] url`.
 * `body`/`method` are sent through a generated Lua script.
 */
export async function runWrk({ url, seconds, connections = 50, threads = 1, headers = {}, method, body, cpu = '1', tmpDir }) {
  const args = ['-c', String(cpu), 'wrk', `-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '10s'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  if (method || body) {
    const script = `${tmpDir}/wrk-${process.pid}-${Date.now()}.lua`;
    const lua = [`wrk.method = ${JSON.stringify(method ?? 'POST')}`];
    if (body !== undefined) lua.push(`wrk.body = ${luaString(body)}`);
    writeFileSync(script, `${lua.join('\n')}\n`);
    args.push('-s', script);
  }
  args.push(url);
  const out = await new Promise((resolve, reject) => {
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`wrk exited ${code}: ${stderr}${stdout}`))));
  });
  return parseWrk(out);
}

function luaString(s) {
  // A Lua long string cannot contain its own closing bracket; JSON bodies never contain "]==]".
  return `[==[${s}]==]`;
}
