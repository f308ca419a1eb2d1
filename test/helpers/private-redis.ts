/**
 * A redis-server of the test's own, on a free port with its data under a temp dir, which the
 * test may stall, stop and restart (the shared Redis on 6379 is never touched). It snapshots
 * on shutdown, so data written before a stop is there again after `start()` — like a Redis that
 * was restarted by its supervisor.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Child, freePort, portOpen, run, waitFor } from './processes.js';

export class PrivateRedis {
  private child: Child | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), mkdtempSync(join(tmpdir(), 'koa-auth-redis-')));
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)start the server on the same port and data dir; resolves once it answers PING. */
  async start(): Promise<void> {
    if (this.child?.running) return;
    this.child = Child.spawn('redis-server', 'redis-server', [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--dbfilename',
      'dump.rdb',
      '--save',
      '3600 1',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--protected-mode',
      'no',
      '--loglevel',
      'warning',
    ]);
    const child = this.child;
    await waitFor(`redis-server on port ${this.port}`, async () => {
      if (!child.running) throw new Error(`redis-server exited:\n${child.log}`);
      return (await portOpen(this.port)) && (await this.cli('PING')).trim() === 'PONG';
    });
  }

  /** Stop the server (SIGTERM: it saves its data first, as on a clean shutdown). */
  async stop(): Promise<void> {
    await this.child?.stop('SIGTERM');
  }

  /** Run one command with redis-cli against this server. */
  cli(...args: string[]): Promise<string> {
    return run('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), ...args], 5000);
  }

  async destroy(): Promise<void> {
    await this.child?.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
