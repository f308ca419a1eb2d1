/** What every CLI command gets and is. */
import type { AbstractUser, Auth, Migration } from '@koa-auth/core';
import type { SessionStore } from '@koa-auth/koa/internal';
import type { TokenService } from '@koa-auth/koa';
import type { Prompter } from './prompter.js';

/** What the commands work on: the app's auth object and its migrations, opened from its configuration. */
export interface CliRuntime {
  auth: Auth<AbstractUser>;
  /** Every migration to apply, in order (core's first, then the plugins'). */
  migrations: Migration[];
  /** Revokes JWTs (changepassword) and finds expired token families (clearsessions). */
  tokens: TokenService<AbstractUser>;
  /** The server's sessions (same store and key prefix as its session()). */
  sessions: SessionStore;
  /** For messages: the database, without its password. */
  databaseDescription: string;
  /** Release the database pool and the store's connections. */
  close(): Promise<void>;
}

export interface CommandIo {
  /** The command's name as typed by users (`koa-auth`), for usage lines. */
  programName: string;
  /** Command-line arguments after the command's name (global options such as --config removed). */
  args: string[];
  env: Record<string, string | undefined>;
  /** Opens the app's configuration (on first use: `--help` needs none); the caller closes it. */
  openRuntime(): Promise<CliRuntime>;
  out(line: string): void;
  err(line: string): void;
  /** Questions on the terminal (created on first use, closed by the CLI). */
  prompter(): Prompter;
}

export interface Command {
  name: string;
  aliases?: string[];
  /** `createsuperuser [--noinput] [--username U] …` */
  usage: string;
  summary: string;
  /** More lines for `<command> --help`. */
  help?: string[];
  /**
   * Resolves to the exit code (0 when void). Long-running commands (a server) resolve only when
   * they have stopped.
   */
  run(io: CommandIo): Promise<number | void>;
}
