/**
 * Which column a unique-constraint failure is about, from the driver's error, or null when the
 * error is not a unique violation. Lets concurrent inserts that both passed the pre-check come
 * back as a field error instead of a raw database error.
 */
export function uniqueViolationColumn(error: unknown, columns: readonly string[]): string | null {
  if (typeof error !== 'object' || error === null) return null;
  // objection wraps driver errors (db-errors' UniqueViolationError); look at the driver's own.
  const native = (error as { nativeError?: unknown }).nativeError;
  if (native) return uniqueViolationColumn(native, columns);
  const e = error as { code?: unknown; errno?: unknown; message?: unknown; sqlMessage?: unknown };
  const sqlite = typeof e.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT');
  const mysql = e.code === 'ER_DUP_ENTRY' || e.errno === 1062;
  if (!sqlite && !mysql) return null;
  const text = String(e.sqlMessage ?? e.message ?? '');
  // SQLite: "UNIQUE constraint failed: auth_user.username"; MySQL: "... for key 'auth_user_username_unique'".
  for (const column of columns) {
    if (text.includes(`.${column}`) || text.includes(`_${column}_unique`) || text.includes(`'${column}'`)) return column;
  }
  return '__all__';
}
