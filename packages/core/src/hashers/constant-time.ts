import { timingSafeEqual } from 'node:crypto';

/**
 * Compare two strings in time that depends only on their lengths (Django's
 * constant_time_compare). Lengths of hashes and tokens are public, so an early `false` on a
 * length mismatch leaks nothing secret.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Still do one comparison so both branches touch the input the same way.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
