import type { UsernameField } from '../models/abstract-user.js';
import { CANONICAL_COLUMNS, canonicalIdentifier, type IdentifierPolicy } from './canonical-identifier.js';
import { toE164, type CountryCode } from './phone-number.js';

/** Longest text looked up as an identifier; longer text matches nobody without being processed. */
const MAX_IDENTIFIER = 254;

/** The column to compare and the value to compare it with, for one identifier lookup. */
export interface IdentifierCondition {
  column: string;
  value: string;
}

/**
 * Which column, and which value, find the user whose `field` is `text`: the canonical column for
 * usernames and emails (see canonicalIdentifier), the E.164 phone number for phones. Null when
 * the text cannot designate anybody (empty, too long, not a phone number).
 */
export function identifierCondition(
  field: UsernameField,
  text: string,
  options: { policy: IdentifierPolicy; phoneRegion?: CountryCode },
): IdentifierCondition | null {
  if (typeof text !== 'string' || text.trim().length === 0 || text.length > MAX_IDENTIFIER) return null;
  if (field === 'phone') {
    const phone = toE164(text, options.phoneRegion);
    return phone ? { column: 'phone', value: phone } : null;
  }
  return { column: CANONICAL_COLUMNS[field], value: canonicalIdentifier(field, text, options.policy) };
}
