/**
 * The kinds of primary key a user model may have (Django supports any field as pk): an
 * auto-increment integer (the default), a UUID, or any other string.
 */
export type PrimaryKeyType = 'integer' | 'uuid' | 'string';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^[1-9]\d{0,15}$/;
const MAX_STRING_KEY = 255;

/**
 * Django's `pk.to_python` for values read back from a session or a token (always strings or
 * numbers): the key in the model's own type, or null when `value` cannot be one. Refusing
 * anything else before it reaches SQL matters: MySQL would compare `'1abc'` equal to `1`.
 */
export function toPrimaryKey(type: PrimaryKeyType, value: unknown): number | string | null {
  if (type === 'integer') {
    if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
    return typeof value === 'string' && INTEGER.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : null;
  }
  if (typeof value !== 'string') return null;
  if (type === 'uuid') return UUID.test(value) ? value.toLowerCase() : null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects
  return value.length > 0 && value.length <= MAX_STRING_KEY && !/[\u0000-\u001f]/.test(value) ? value : null;
}
