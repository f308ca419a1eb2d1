import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** Longest text worth parsing as a phone number; anything longer is refused unparsed. */
const MAX_PHONE_INPUT = 64;

/**
 * A phone number in E.164 (`+8613800138000`), or null when the text is not a valid number.
 * National formats are read in `defaultRegion` (e.g. 'CN': `138 0013 8000`); international
 * formats (`+86 138-0013-8000`, `0086…` from CN) work from anywhere.
 */
export function toE164(text: string, defaultRegion?: CountryCode): string | null {
  if (text.length > MAX_PHONE_INPUT) return null;
  // Phone numbers are digits and punctuation; letters would be read as vanity digits.
  if (!/^[\d\s+()./-]+$/.test(text.trim())) return null;
  const parsed = parsePhoneNumberFromString(text, defaultRegion);
  if (!parsed?.isValid()) return null;
  return parsed.number;
}

/**
 * A stored (E.164) phone number as people write it: national format for a number of `region`
 * (`138 0013 8000` in CN), international otherwise (`+1 650 253 0000`). Text that does not parse
 * is returned unchanged, so a display never fails.
 */
export function formatPhone(e164: string, region?: CountryCode): string {
  const parsed = e164.length <= MAX_PHONE_INPUT ? parsePhoneNumberFromString(e164) : undefined;
  if (!parsed) return e164;
  return region && parsed.country === region ? parsed.formatNational() : parsed.formatInternational();
}

export type { CountryCode };
