/** core's ValidationError as the lines a command prints: `username: A user with that username already exists.` */
import type { ValidationError } from '@koa-auth/core';

const LABELS: Record<string, string> = { __all__: '', password: 'password', username: 'username', email: 'email', phone: 'phone' };

/** One line per issue, `field: message` (the message alone for `__all__`), in the error's order. */
export function fieldErrorLines(error: ValidationError): string[] {
  return Object.entries(error.fields).flatMap(([field, issues]) =>
    issues.map((issue) => {
      const label = LABELS[field] ?? field;
      return label ? `${label}: ${issue.message}` : issue.message;
    }),
  );
}

/** The messages only (for a field the command just asked about). */
export function issueMessages(error: ValidationError): string[] {
  return Object.values(error.fields).flatMap((issues) => issues.map((issue) => issue.message));
}
