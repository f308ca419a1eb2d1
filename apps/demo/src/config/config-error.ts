/**
 * A setting in the environment is wrong. Its message names the variable and never its value's
 * secret part; as a CommandError, the CLI prints it as one `Error: …` line.
 */
import { CommandError } from '@koa-auth/cli';

export class ConfigError extends CommandError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
