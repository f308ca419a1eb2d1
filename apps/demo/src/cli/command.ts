/** What every CLI command gets and is. */
import type { DemoConfig } from '../config/config.js';
import { Prompter } from './prompter.js';

export interface CommandIo {
  /** Command-line arguments after the command's name. */
  args: string[];
  env: Record<string, string | undefined>;
  /** Settings from the environment (loaded on first use: `help` needs none). */
  config(): DemoConfig;
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
  /**
   * Resolves to the exit code (0 when void). Long-running commands (`serve`) resolve only when
   * they have stopped.
   */
  run(io: CommandIo): Promise<number | void>;
}
