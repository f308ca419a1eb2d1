/**
 * Runs every teardown step even when one fails (e.g. Redis is down), then rethrows the first
 * error: a skipped `db.destroy()` would leave handles open and keep jest from exiting.
 */
export async function closeAll(...steps: Array<() => unknown>): Promise<void> {
  let failure: unknown;
  let failed = false;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      if (!failed) failure = error;
      failed = true;
    }
  }
  if (failed) throw failure;
}
