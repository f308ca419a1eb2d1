/**
 * SQLite hands back booleans as 0/1 and datetimes as epoch milliseconds; MySQL as 0/1 and Date
 * objects. These helpers give models one representation whatever the driver.
 */

/** A database boolean (0/1, '0'/'1', true/false) as a boolean; null stays null. */
export function toBoolean(value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value) !== 0;
  if (typeof value === 'string') return value !== '0' && value !== '' && value !== 'false';
  return Boolean(value);
}

/** A database datetime (Date, epoch ms, ISO or MySQL text) as a Date; null stays null. */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') {
    // MySQL text without a zone is UTC here (the connection uses timezone 'Z').
    const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
    return new Date(iso);
  }
  return null;
}
