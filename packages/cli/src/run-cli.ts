/**
 * The CLI's dispatcher, like Django's manage.py: `<command> [args]`. Errors a user can fix (bad
 * configuration, bad input) are one `Error: …` line with exit code 1; anything unexpected prints
 * its name and message the same way (its stack only with KOA_AUTH_DEBUG=1).
 */
import { ValidationError } from '@koa-auth/core';
import { STANDARD_COMMANDS } from './commands/standard-commands.js';
import { findConfigFile, loadConfigFile, runtimeOf } from './config/load-config.js';
import { CommandError } from './io/command-error.js';
import type { CliRuntime, Command, CommandIo } from './io/command.js';
import { fieldErrorLines } from './io/field-errors.js';
import { Prompter } from './io/prompter.js';

/** Options of {@link runCli}: what an app's own CLI (e.g. the demo's) changes. */
export interface RunCliOptions {
  /** The name in usage lines. Default 'koa-auth'. */
  programName?: string;
  /** Commands of the app, listed first; a name that is also a standard command replaces it. */
  commands?: readonly Command[];
  /** Where the commands' runtime comes from. Default: the configuration file (`--config PATH` or koa-auth.config.mjs in `cwd`). */
  openRuntime?: (io: { env: Record<string, string | undefined>; err(line: string): void }) => Promise<CliRuntime>;
  /** Lines after the command list in `help`. */
  helpFooter?: readonly string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

/**
 * Runs one command line (`argv` without node and the script; `--config PATH` anywhere) and
 * resolves to the exit code: 0 done, 1 failed (`Error: …` on `err`, a stack only with
 * KOA_AUTH_DEBUG), 2 usage (no or unknown command). Never throws. `commands` replace standard
 * ones of the same name.
 */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const programName = options.programName ?? 'koa-auth';
  const env = options.env ?? process.env;
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const own = options.commands ?? [];
  const commands = [...own, ...STANDARD_COMMANDS.filter((c) => !own.some((o) => o.name === c.name))];
  const help = () => helpText(programName, commands, options);

  let configPath: string | undefined;
  let args: string[];
  try {
    ({ configPath, args } = takeConfigOption(argv));
  } catch (error) {
    err(`Error: ${(error as Error).message}`);
    return 1;
  }
  const [name, ...rest] = args;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' && rest[0] ? findCommand(commands, rest[0]) : undefined;
    out(topic ? commandHelp(programName, topic) : help());
    return name === undefined ? 2 : 0;
  }
  const command = findCommand(commands, name);
  if (!command) {
    err(`Error: Unknown command: ${name}. Run '${programName} help' for the list.`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(commandHelp(programName, command));
    return 0;
  }

  let prompter: Prompter | undefined;
  const open = options.openRuntime ?? (async () => runtimeOf(await loadConfigFile(findConfigFile(options.cwd ?? process.cwd(), configPath))));
  const io: CommandIo = {
    programName,
    args: rest,
    env,
    openRuntime: () => open({ env, err }),
    out,
    err,
    prompter: () => (prompter ??= new Prompter()),
  };
  try {
    return (await command.run(io)) ?? 0;
  } catch (error) {
    if (error instanceof CommandError) err(`Error: ${error.message}`);
    else if (error instanceof ValidationError) err(`Error: ${fieldErrorLines(error).join(' ')}`);
    else if (env.KOA_AUTH_DEBUG) err(String((error as Error).stack ?? error));
    else err(`Error: ${describe(error)}`);
    return 1;
  } finally {
    prompter?.close();
  }
}

/** Removes `--config PATH` / `--config=PATH` (accepted anywhere on the line). */
function takeConfigOption(argv: readonly string[]): { configPath?: string; args: string[] } {
  const args: string[] = [];
  let configPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('-')) throw new Error('--config needs a file path.');
      configPath = value;
      i += 1;
    } else if (arg.startsWith('--config=')) {
      configPath = arg.slice('--config='.length);
    } else {
      args.push(arg);
    }
  }
  return { configPath, args };
}

function findCommand(commands: readonly Command[], name: string): Command | undefined {
  return commands.find((c) => c.name === name || c.aliases?.includes(name));
}

function commandHelp(programName: string, command: Command): string {
  return [`Usage: ${programName} ${command.usage} [--config PATH]`, '', command.summary, ...(command.help ? ['', ...command.help] : [])].join('\n');
}

function helpText(programName: string, commands: readonly Command[], options: RunCliOptions): string {
  return [
    `Usage: ${programName} <command> [options] [--config PATH]`,
    '',
    'Commands:',
    ...commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    `'${programName} <command> --help' describes one command.`,
    ...(options.helpFooter ?? ['The configuration is koa-auth.config.mjs (or .js/.cjs) in the current folder, or --config PATH.']),
  ].join('\n');
}

/** `TypeError: x` for named errors, the bare message for plain ones (`connect ECONNREFUSED …`). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}
