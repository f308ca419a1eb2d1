import { z } from 'zod';
import { ValidationError, type FieldIssue } from '../errors.js';
import { fromZodError } from '../validation/zod-errors.js';
import { normalizeEmail, normalizeUsername } from './normalize.js';
import { toE164, type CountryCode } from './phone-number.js';

const USERNAME_PATTERN = /^[\p{L}\p{N}\p{M}@.+\-_]+$/u;

/**
 * The user fields an app may set, with their limits. Length limits are checked before any
 * normalisation, so a 10 MB string is refused without being processed.
 */
const userFieldsSchema = z
  .object({
    username: z.string().min(1, 'This field is required.').max(150, 'Ensure this value has at most 150 characters.'),
    email: z.string().max(254, 'Ensure this value has at most 254 characters.').nullable(),
    phone: z.string().max(64, 'Enter a valid phone number.').nullable(),
    firstName: z.string().max(150),
    lastName: z.string().max(150),
    nickname: z.string().max(150),
    gender: z.enum(['male', 'female', 'other', 'unknown']).nullable(),
    birthday: z.iso.date('Enter a valid date (YYYY-MM-DD).').nullable(),
    avatar: z
      .url({ protocol: /^https?$/, message: 'Enter a valid http(s) URL.' })
      .max(1024)
      .nullable(),
    isActive: z.boolean(),
    isStaff: z.boolean(),
    isSuperuser: z.boolean(),
    accountType: z.string().max(32),
    dateJoined: z.date(),
    lastLogin: z.date().nullable(),
  })
  .partial();

/** Validated, normalised user fields, ready to store. */
export type UserFields = z.infer<typeof userFieldsSchema>;

const emailSchema = z.email();

/**
 * Validate and normalise user fields (types, lengths, formats): emails get their domain
 * lower-cased, usernames NFKC and the allowed characters, phones E.164 in `phoneRegion`.
 * Empty email/phone strings become null (Django's EmailNullField). Unknown keys are refused so a
 * typo never reaches the database. Throws one ValidationError naming every bad field.
 */
export function cleanUserFields(input: unknown, phoneRegion?: CountryCode, extraKeys: readonly string[] = []): UserFields {
  const { fields, issues } = checkUserFields(input, phoneRegion, extraKeys);
  if (Object.keys(issues).length > 0) throw new ValidationError(issues);
  return fields;
}

/** What checkUserFields found: the fields that passed (normalised) and the issues of the others. */
export interface CheckedUserFields {
  fields: UserFields;
  issues: Record<string, FieldIssue[]>;
}

/**
 * cleanUserFields without throwing: every field is checked on its own, so one bad field never
 * hides another's problem, and the valid ones can still be checked further (e.g. for
 * uniqueness) before everything is reported at once. Input that is not an object, or has
 * unknown keys, is refused outright (a caller's bug, not a person's typo).
 */
export function checkUserFields(input: unknown, phoneRegion?: CountryCode, extraKeys: readonly string[] = []): CheckedUserFields {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw ValidationError.field('__all__', 'invalid', 'Expected an object of user fields.');
  }
  const known = new Set([...Object.keys(userFieldsSchema.shape), ...extraKeys, 'password']);
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new ValidationError(Object.fromEntries(unknown.map((k) => [k, [{ code: 'unknown_field', message: 'Unknown field.' }]])));
  }
  const raw = { ...(input as Record<string, unknown>) };
  for (const key of ['email', 'phone'] as const) {
    if (typeof raw[key] === 'string' && (raw[key] as string).trim() === '') raw[key] = null;
  }
  const fields: Record<string, unknown> = {};
  const issues: Record<string, FieldIssue[]> = {};
  const shape = userFieldsSchema.shape as Record<string, z.ZodType>;
  for (const key of Object.keys(shape)) {
    if (!(key in raw)) continue;
    // Field by field: a bad avatar must not hide a bad phone number.
    const parsed = shape[key]!.safeParse(raw[key]);
    if (parsed.success) {
      if (parsed.data !== undefined) fields[key] = parsed.data;
    } else {
      issues[key] = fromZodError(parsed.error).fields.__all__ ?? [{ code: 'invalid', message: 'Enter a valid value.' }];
    }
  }
  const clean = fields as UserFields;
  if (clean.username !== undefined) {
    clean.username = normalizeUsername(clean.username);
    if (!USERNAME_PATTERN.test(clean.username)) {
      issues.username = [{ code: 'invalid', message: 'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.' }];
    } else if (clean.username.length > 150) {
      issues.username = [{ code: 'max_length', message: 'Ensure this value has at most 150 characters.' }];
    }
    if (issues.username) delete clean.username;
  }
  if (clean.email) {
    clean.email = normalizeEmail(clean.email);
    if (!emailSchema.safeParse(clean.email).success) {
      issues.email = [{ code: 'invalid', message: 'Enter a valid email address.' }];
      delete clean.email;
    }
  }
  if (clean.phone) {
    const e164 = toE164(clean.phone, phoneRegion);
    if (e164) clean.phone = e164;
    else {
      issues.phone = [{ code: 'invalid', message: 'Enter a valid phone number.' }];
      delete clean.phone;
    }
  }
  return { fields: clean, issues };
}
