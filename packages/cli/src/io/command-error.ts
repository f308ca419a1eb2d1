/** A command failed in a way the user can fix: printed as `Error: …` (no stack), exit code 1. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}
