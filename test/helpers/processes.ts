/**
 * Small utilities for the tests that run servers of their own (a private redis-server or
 * mariadbd on a free port, data under a temp dir): free ports, waiting, and child processes
 * that are always killed by the test that started them.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** True when something accepts TCP connections on the port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Poll `check` until it holds; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Run a command to completion; rejects with its output when it fails. */
export function run(command: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** A long-running child process; `stop` sends a signal and waits for it to exit. */
export class Child {
  private exited: Promise<void>;
  private output = '';
  private hasExited = false;

  constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    process.stdout?.on('data', (chunk: Buffer) => this.append(chunk));
    process.stderr?.on('data', (chunk: Buffer) => this.append(chunk));
    this.exited = new Promise((resolve) => {
      process.once('exit', () => {
        this.hasExited = true;
        resolve();
      });
      process.once('error', (error) => {
        this.append(Buffer.from(String(error)));
        this.hasExited = true;
        resolve();
      });
    });
  }

  static spawn(name: string, command: string, args: string[]): Child {
    return new Child(name, spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get running(): boolean {
    return !this.hasExited;
  }

  /** The last few KB of its output, for failure messages. */
  get log(): string {
    return this.output;
  }

  /** Send `signal` (SIGTERM by default) and wait for the exit; SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (this.hasExited) return;
    this.process.kill(signal);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Freeze (SIGSTOP) or thaw (SIGCONT) the process: it keeps its sockets but answers nothing. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    if (!this.hasExited) this.process.kill(signal);
  }

  private append(chunk: Buffer): void {
    this.output = (this.output + chunk.toString('utf8')).slice(-8000);
  }
}
