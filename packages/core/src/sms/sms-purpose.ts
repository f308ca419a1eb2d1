/** What an SMS code is for; a code issued for one purpose is never accepted for another. */
export const SMS_PURPOSES = ['login', 'verify', 'reset'] as const;

/**
 * `login`: log in (or sign up, where the site allows it) with the phone; `verify`: a logged-in
 * user proves a phone before it becomes theirs; `reset`: prove the phone of an account to set a
 * new password.
 */
export type SmsPurpose = (typeof SMS_PURPOSES)[number];

/** True when `value` is one of {@link SMS_PURPOSES}. */
export function isSmsPurpose(value: unknown): value is SmsPurpose {
  return typeof value === 'string' && (SMS_PURPOSES as readonly string[]).includes(value);
}
