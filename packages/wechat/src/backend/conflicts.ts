/**
 * Which database errors mean "a concurrent request got there first": the linking loop rolls
 * back, re-reads and tries again on these, and rethrows anything else.
 */
import { uniqueViolationColumn, ValidationError } from '@koa-auth/core';

/** Thrown inside the linking transaction when a conditional update found the row taken. */
export class LinkRace extends Error {
  constructor() {
    super('the WeChat profile was linked by a concurrent login');
    this.name = 'LinkRace';
  }
}

/**
 * True when `error` means a concurrent login won a race: a LinkRace, a `unique` field error or
 * unique violation on the profile/user columns, or a deadlock / lock wait / SQLite busy error.
 */
export function isRetryableConflict(error: unknown): boolean {
  if (error instanceof LinkRace) return true;
  // UserManager reports unique conflicts (pre-check or insert race) as a field error.
  if (error instanceof ValidationError) {
    return Object.values(error.fields).some((issues) => issues.some((issue) => issue.code === 'unique'));
  }
  if (uniqueViolationColumn(error, ['unionid_anchor', 'unionid', 'openid', 'username']) !== null) return true;
  return isLockConflict(error);
}

/** MySQL/MariaDB deadlock or lock-wait victims and SQLite's busy errors are worth one more try. */
function isLockConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const native = (error as { nativeError?: unknown }).nativeError;
  if (native && native !== error) return isLockConflict(native);
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return code === 'ER_LOCK_DEADLOCK' || errno === 1213 || code === 'SQLITE_BUSY';
}
