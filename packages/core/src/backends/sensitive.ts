/** Keys whose values never leave authenticate(): Django's cleanse_setting pattern, plus OAuth codes. */
const SENSITIVE_KEY = /api|token|key|secret|pass|signature|code/i;
const MASK = '********************';

/**
 * A copy of `credentials` for events and logs: values under keys naming a secret (password,
 * token, key, secret, signature, code…) masked, in nested objects too, long strings cut at 256
 * characters; {} for anything that is not a plain object. Objects nested deeper than three
 * levels are copied as they are, unmasked; arrays are copied unmasked at any level.
 */
export function cleanseCredentials(credentials: unknown): Record<string, unknown> {
  if (typeof credentials !== 'object' || credentials === null || Array.isArray(credentials)) return {};
  return cleanseObject(credentials as Record<string, unknown>, 0);
}

function cleanseObject(source: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (SENSITIVE_KEY.test(key)) out[key] = MASK;
    else if (typeof value === 'object' && value !== null && !Array.isArray(value) && depth < 3) out[key] = cleanseObject(value as Record<string, unknown>, depth + 1);
    else if (typeof value === 'string' && value.length > 256) out[key] = `${value.slice(0, 256)}…`;
    else out[key] = value;
  }
  return out;
}
