/** Keys whose values never leave authenticate(): Django's cleanse_setting pattern, plus OAuth codes. */
const SENSITIVE_KEY = /api|token|key|secret|pass|signature|code/i;
const MASK = '********************';
/** Deeper structures are masked whole: a secret must not slip through because it was nested. */
const MAX_DEPTH = 3;

/**
 * A copy of `credentials` for events and logs: values under keys naming a secret (password,
 * token, key, secret, signature, code…) masked at any depth, inside arrays too; long strings cut
 * at 256 characters; anything nested deeper than three levels replaced by the mask as a whole
 * (never copied unread); {} for anything that is not a plain object.
 */
export function cleanseCredentials(credentials: unknown): Record<string, unknown> {
  if (typeof credentials !== 'object' || credentials === null || Array.isArray(credentials)) return {};
  return cleanseObject(credentials as Record<string, unknown>, 0);
}

function cleanseObject(source: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) out[key] = SENSITIVE_KEY.test(key) ? MASK : cleanseValue(value, depth + 1);
  return out;
}

function cleanseValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > 256 ? `${value.slice(0, 256)}…` : value;
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return MASK;
  if (Array.isArray(value)) return value.map((item) => cleanseValue(item, depth + 1));
  return cleanseObject(value as Record<string, unknown>, depth);
}
