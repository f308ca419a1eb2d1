import type { ZodError } from 'zod';
import { ValidationError, type FieldIssue } from '../errors.js';

/** A zod failure as a ValidationError: each issue under its top-level field (`__all__` for the root). */
export function fromZodError(error: ZodError): ValidationError {
  const fields: Record<string, FieldIssue[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : '__all__';
    (fields[field] ??= []).push({ code: issue.code, message: issue.message });
  }
  return new ValidationError(fields);
}
