/**
 * A mariadbd of the test's own: a data folder made with mariadb-install-db under a temp dir,
 * its own port, socket and pid file. The test may kill it (as a crash would), freeze it, and
 * start it again on the same data; the shared server on 3306 is never touched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Child, freePort, portOpen, run, waitFor } from './processes.js';

const MARIADBD = process.env.MARIADBD ?? '/usr/sbin/mariadbd';

export class PrivateMariadb {
  private child: Child | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  /** Initialise a data folder and start the server (a few seconds). */
  static async start(): Promise<PrivateMariadb> {
    const server = new PrivateMariadb(await freePort(), mkdtempSync(join(tmpdir(), 'koa-auth-mariadb-')));
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${server.datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
      ...server.userArgs(),
      '--innodb-log-file-size=8M',
    ]);
    await server.start();
    return server;
  }

  /** True while the server process is alive (frozen counts as alive). */
  get running(): boolean {
    return this.child?.running ?? false;
  }

  get datadir(): string {
    return join(this.dir, 'data');
  }

  /** Root without a password over TCP, to `database` (none by default). */
  url(database = ''): string {
    return `mysql://root@127.0.0.1:${this.port}/${database}`;
  }

  /** (Re)start on the same data; resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.child?.running) return;
    this.child = Child.spawn('mariadbd', MARIADBD, [
      '--no-defaults',
      `--datadir=${this.datadir}`,
      `--port=${this.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(this.dir, 'mariadb.sock')}`,
      `--pid-file=${join(this.dir, 'mariadb.pid')}`,
      ...this.userArgs(),
      '--skip-log-bin',
      '--innodb-buffer-pool-size=16M',
      '--innodb-log-file-size=8M',
      '--skip-name-resolve',
    ]);
    const child = this.child;
    await waitFor(
      `mariadbd on port ${this.port}`,
      async () => {
        if (!child.running) throw new Error(`mariadbd exited:\n${child.log}`);
        if (!(await portOpen(this.port))) return false;
        await run('mariadb-admin', ['--no-defaults', '-h', '127.0.0.1', '-P', String(this.port), '-u', 'root', 'ping'], 5000);
        return true;
      },
      30_000,
      100,
    );
  }

  /** Kill the server the hard way (a crash, a pulled plug): no clean shutdown. */
  async kill(): Promise<void> {
    await this.child?.stop('SIGKILL');
  }

  /** Freeze / thaw: the port stays open but nothing is answered. */
  freeze(): void {
    this.child?.signal('SIGSTOP');
  }

  thaw(): void {
    this.child?.signal('SIGCONT');
  }

  async destroy(): Promise<void> {
    this.thaw();
    await this.child?.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** mariadbd refuses to run as root unless told to. */
  private userArgs(): string[] {
    return userInfo().uid === 0 ? ['--user=root'] : [];
  }
}
