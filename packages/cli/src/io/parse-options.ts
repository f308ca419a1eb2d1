/** Command options through node:util parseArgs, its errors turned into a usage hint. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CommandError } from './command-error.js';
import type { CommandIo } from './command.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/** Strict parsing of the command's arguments: an unknown option is an error that shows `usage`. Positionals are allowed (the command checks them). */
export function parseOptions<O extends Options>(io: CommandIo, options: O, usage: string): Parsed<O> {
  try {
    return parseArgs({ args: io.args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CommandError(`${(error as Error).message} Usage: ${io.programName} ${usage}`);
  }
}
