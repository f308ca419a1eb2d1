/**
 * Typed errors of @koa-auth/core. Every error a caller may need to tell apart has its own class
 * and a stable `code`, so transports (Koa, tRPC) map them to status codes without parsing text.
 * None of them ever carries a password, token or secret.
 */

/** Base class: `code` is stable and machine-readable; `message` is for people. */
export class AuthError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One message about one field, Django-style: a code for programs and a message for people. */
export interface FieldIssue {
  code: string;
  message: string;
}

/**
 * Bad input. `fields` maps a field name to its issues; `__all__` holds issues not tied to a
 * field (Django's NON_FIELD_ERRORS).
 *
 * `message` is for people and is shown as is by clients that do not place errors under fields:
 * every distinct issue message, in order, and never a field key (no `__all__:` or `email:`).
 */
export class ValidationError extends AuthError {
  readonly fields: Record<string, FieldIssue[]>;
  constructor(fields: Record<string, FieldIssue[]>) {
    super('invalid', summarize(fields));
    this.fields = fields;
  }

  /** A ValidationError with a single issue on one field. */
  static field(field: string, code: string, message: string): ValidationError {
    return new ValidationError({ [field]: [{ code, message }] });
  }

  /** Merge several errors into one, keeping every field's issues. */
  static merge(errors: ValidationError[]): ValidationError {
    const fields: Record<string, FieldIssue[]> = {};
    for (const error of errors) {
      for (const [name, issues] of Object.entries(error.fields)) {
        (fields[name] ??= []).push(...issues);
      }
    }
    return new ValidationError(fields);
  }

  /**
   * Runs every check and throws one ValidationError holding the issues of all that failed, so a
   * person sees every problem of a submission at once. Checks may be async; a check failing with
   * anything but a ValidationError stops at once with that error.
   */
  static async collect(checks: ReadonlyArray<() => unknown>): Promise<void> {
    const errors: ValidationError[] = [];
    for (const check of checks) {
      try {
        await check();
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        errors.push(error);
      }
    }
    if (errors.length > 0) throw ValidationError.merge(errors);
  }
}

function summarize(fields: Record<string, FieldIssue[]>): string {
  const messages = [...new Set(Object.values(fields).flatMap((issues) => issues.map((issue) => issue.message)))];
  return messages.length > 0 ? messages.join(' ') : 'Invalid input.';
}

/** A backend refused the credentials outright; the backend chain stops (Django's PermissionDenied). */
export class PermissionDenied extends AuthError {
  constructor(message = 'Permission denied.') {
    super('permission_denied', message);
  }
}

/** Credentials did not identify an active user. One generic message whether the account exists or not. */
export class InvalidCredentials extends AuthError {
  constructor() {
    super('invalid_credentials', 'Please enter a correct identifier and password.');
  }
}

/** The library was set up wrongly (a programming error, reported at startup where possible). */
export class ImproperlyConfigured extends AuthError {
  constructor(message: string) {
    super('improperly_configured', message);
  }
}

/** A backing service (database, key-value store) could not be reached in time. */
export class ServiceUnavailable extends AuthError {
  constructor(service: string, message?: string) {
    super('service_unavailable', message ?? `The ${service} is unavailable; try again shortly.`);
  }
}

/**
 * The anonymous user was handed to something that writes a user (save, delete, a password, a
 * manager or permission write): it has no database row (Django's NotImplementedError). A
 * programming error, so it is not mapped to a 4xx.
 */
export class AnonymousUserError extends AuthError {
  constructor(action: string) {
    super('anonymous_user', `koa-auth provides no database representation for AnonymousUser: cannot ${action}.`);
  }
}
