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
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

export type { CountryCode };
