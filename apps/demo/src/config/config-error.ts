/** A setting in the environment is wrong. Its message names the variable and never its value's secret part. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
