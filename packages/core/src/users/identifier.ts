import { canonicalIdentifier, type IdentifierPolicy } from './canonical-identifier.js';
import { toE164, type CountryCode } from './phone-number.js';

/** What a login identifier is read as. */
export type IdentifierKind = 'email' | 'phone' | 'username';

/** A login identifier's kind and its canonical form (the value accounts are compared by). */
export interface ClassifiedIdentifier {
  kind: IdentifierKind;
  /** Email and username: canonicalIdentifier's form (case-folded per policy); phone: E.164. */
  canonical: string;
}

/** Options of {@link classifyIdentifier}. */
export interface ClassifyIdentifierOptions {
  /** Region national phone formats are read in (createAuth's `phoneRegion`, e.g. 'CN'). */
  region?: CountryCode;
  /** How usernames compare (createAuth's `caseSensitiveUsernames`). */
  policy?: IdentifierPolicy;
}

/**
 * The one reading of "an identifier typed into a login box" (the mixed login), shared by
 * MixedLoginBackend (which column to look in), UserManager (a username that would be read as
 * somebody's phone number is refused) and the login throttle (one counter per account, however
 * it is spelled). The text is trimmed, then:
 *
 * - it has an '@': an email;
 * - else it parses as a valid phone number (national formats in `region`, international ones
 *   anywhere): a phone, canonical E.164;
 * - else: a username.
 *
 * Never throws; any string gets a kind.
 */
export function classifyIdentifier(value: string, options: ClassifyIdentifierOptions = {}): ClassifiedIdentifier {
  const text = value.trim();
  if (text.includes('@')) return { kind: 'email', canonical: canonicalIdentifier('email', text) };
  const phone = toE164(text, options.region);
  if (phone) return { kind: 'phone', canonical: phone };
  return { kind: 'username', canonical: canonicalIdentifier('username', text, options.policy) };
}
