/**
 * A demo installation for one test file, configured only through the environment, as a user
 * would: a fresh DATA_DIR (SQLite file, secret key), its own MySQL database and Redis key
 * prefix when DATABASE_URL / REDIS_URL are set, and free ports. `cli()` runs the built CLI
 * (`node apps/demo/dist/cli.js …`), `start()` runs `start` (migrate, then serve) as a child
 * process and resolves once it prints its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { freePort } from './free-port.js';
import { createTestRedisPrefix } from './redis-prefix.js';
import { demoBundle, demoCli, repoRoot } from './paths.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningDemo {
  url: string;
  /** Everything the server printed so far (mail with reset links goes here). */
  output(): string;
  stop(): Promise<void>;
}

export interface DemoEnv {
  env: Record<string, string>;
  dataDir: string;
  cli(args: string[], options?: { input?: string; env?: Record<string, string> }): Promise<CliResult>;
  start(): Promise<RunningDemo>;
  destroy(): Promise<void>;
}

export async function createDemoEnv(name: string): Promise<DemoEnv> {
  if (!existsSync(demoCli) || !existsSync(demoBundle)) {
    throw new Error(`The demo is not built (${demoCli}): run \`pnpm build\` first (\`pnpm test:e2e\` does).`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), `koa-auth-demo-e2e-${name}-`));
  const database: TestDatabase = await createTestDatabase(name);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The demo must see only what this file sets (e.g. not the developer's own DATABASE_URL).
    if (
      value !== undefined &&
      !/^(DATABASE_URL|REDIS_URL|REDIS_PREFIX|SECRET_KEY|PORT|HOST|PUBLIC_URL|ALLOWED_HOSTS|TRUST_PROXY|DATA_DIR|WECHAT_\w+|DEMO_\w+|KOA_AUTH_\w+)$/.test(key)
    )
      env[key] = value;
  }
  env.DATA_DIR = dataDir;
  if (database.url) env.DATABASE_URL = database.url;
  const redis = createTestRedisPrefix(name);
  if (redis) {
    env.REDIS_URL = redis.url;
    env.REDIS_PREFIX = redis.prefix;
  }
  const servers = new Set<RunningDemo>();

  const cli: DemoEnv['cli'] = (args, options = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [demoCli, ...args], { cwd: repoRoot, env: { ...env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(options.input ?? '');
    });

  async function start(): Promise<RunningDemo> {
    const port = await freePort();
    const emulatorPort = await freePort();
    const serverEnv = { ...env, PORT: String(port), WECHAT_EMULATOR_PORT: String(emulatorPort), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}` };
    const child = spawn(process.execPath, [demoCli, 'start'], { cwd: repoRoot, env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('The demo did not start within 30 s.')), 30_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${error.message}\n--- demo output ---\n${output}`));
      };
      const onExit = (code: number | null) => fail(new Error(`The demo exited with code ${code} before it was ready.`));
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /Open\s+(http\S+?)\/? in your browser/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(match[1]);
        }
      };
      // Kept reading for the whole run: the output holds mailed reset links.
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', onExit);
    });
    const running: RunningDemo = {
      url,
      output: () => output,
      stop: () => stopChild(child).finally(() => servers.delete(running)),
    };
    servers.add(running);
    return running;
  }

  return {
    env,
    dataDir,
    cli,
    start,
    async destroy() {
      await Promise.allSettled([...servers].map((s) => s.stop()));
      await Promise.all([database.drop(), redis?.cleanup(), rm(dataDir, { recursive: true, force: true })]);
    },
  };
}

/** SIGTERM (the demo closes its server, database and store), SIGKILL after 10 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
