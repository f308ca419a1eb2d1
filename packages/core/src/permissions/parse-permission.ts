import { ValidationError } from '../errors.js';

/** `app_label.codename` split in two; throws ValidationError on any other shape. */
export function parsePermission(perm: unknown): { appLabel: string; codename: string } {
  if (typeof perm !== 'string' || perm.length > 201) throw invalid();
  const dot = perm.indexOf('.');
  if (dot <= 0 || dot === perm.length - 1) throw invalid();
  return { appLabel: perm.slice(0, dot), codename: perm.slice(dot + 1) };
}

function invalid(): ValidationError {
  return ValidationError.field('permission', 'invalid', "Permission names have the form 'app_label.codename'.");
}
