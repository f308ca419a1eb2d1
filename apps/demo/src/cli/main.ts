/**
 * The CLI's dispatcher, like Django's manage.py: `<command> [args]`. Errors a user can fix
 * (bad settings, bad input) are printed as `Error: …` with exit code 1; anything unexpected
 * prints its name and message (its stack with DEMO_DEBUG=1), also exit code 1.
 */
import { ValidationError } from '@koa-auth/core';
import { loadConfig, type DemoConfig } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { CommandError } from './command-error.js';
import type { CommandIo } from './command.js';
import { findCommand, helpText } from './commands.js';
import { fieldErrorLines } from './field-errors.js';
import { Prompter } from './prompter.js';

export async function main(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const [name, ...args] = argv;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    out(helpText());
    return name === undefined ? 2 : 0;
  }
  const command = findCommand(name);
  if (!command) {
    err(`Unknown command: ${name}\n`);
    err(helpText());
    return 2;
  }

  let config: DemoConfig | undefined;
  let prompter: Prompter | undefined;
  const io: CommandIo = {
    args,
    env,
    config: () => (config ??= loadConfig(env)),
    out,
    err,
    prompter: () => (prompter ??= new Prompter()),
  };
  try {
    return (await command.run(io)) ?? 0;
  } catch (error) {
    if (error instanceof CommandError || error instanceof ConfigError) err(`Error: ${error.message}`);
    else if (error instanceof ValidationError) for (const line of fieldErrorLines(error)) err(`Error: ${line}`);
    else if (env.DEMO_DEBUG) err(String((error as Error).stack ?? error));
    else err(`Error: ${describe(error)}`);
    return 1;
  } finally {
    prompter?.close();
  }
}

/** `TypeError: x` for named errors, the bare message for plain ones (`Error: connect ECONNREFUSED …`). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}
