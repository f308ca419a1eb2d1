/**
 * Input parsers for the demo's own procedures. tRPC accepts any `(input: unknown) => T`;
 * these throw core's ValidationError, which koa-auth's procedures turn into BAD_REQUEST with
 * `data.fieldErrors`, the same shape as the auth router's errors, so the browser shows them
 * under the right fields.
 */
import { ValidationError, type FieldIssue } from '@koa-auth/core';

/** What a user may change on their profile page (the rest goes through other procedures). */
export interface ProfilePatch {
  nickname?: string;
  avatar?: string | null;
  phone?: string | null;
}

const PROFILE_LIMITS: Record<keyof ProfilePatch, number> = { nickname: 150, avatar: 1024, phone: 64 };

/**
 * `{ nickname?, avatar?, phone? }`, strings only; an empty avatar or phone clears it (null).
 * Formats (URL, phone number) and uniqueness are checked by `auth.users.updateUser`.
 */
export function parseProfilePatch(raw: unknown): ProfilePatch {
  const input = plainObject(raw);
  const issues: Record<string, FieldIssue[]> = {};
  const patch: ProfilePatch = {};
  for (const [key, value] of Object.entries(input)) {
    if (!(key in PROFILE_LIMITS)) {
      issues[key] = [{ code: 'unknown_field', message: 'Unknown field.' }];
      continue;
    }
    const field = key as keyof ProfilePatch;
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      issues[field] = [{ code: 'invalid', message: 'Enter a text value.' }];
      continue;
    }
    const text = value.trim();
    if (text.length > PROFILE_LIMITS[field]) {
      issues[field] = [{ code: 'max_length', message: `Ensure this value has at most ${PROFILE_LIMITS[field]} characters.` }];
      continue;
    }
    if (field === 'nickname') patch.nickname = text;
    else patch[field] = text === '' ? null : text;
  }
  if (Object.keys(issues).length > 0) throw new ValidationError(issues);
  return patch;
}

/** `admin.users` input: an optional search text (username, email, phone or nickname contains it). */
export function parseUserSearch(raw: unknown): { search: string } {
  if (raw === undefined || raw === null) return { search: '' };
  const input = plainObject(raw);
  const search = input.search ?? '';
  if (typeof search !== 'string' || search.length > 100) throw ValidationError.field('search', 'invalid', 'Enter at most 100 characters.');
  return { search: search.trim() };
}

function plainObject(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw ValidationError.field('__all__', 'invalid', 'Expected an object.');
  }
  return raw as Record<string, unknown>;
}
