import type { SmsPurpose } from './sms-purpose.js';

const NAMES: Record<SmsPurpose, string> = {
  login: 'login',
  verify: 'phone verification',
  reset: 'password reset',
};

/** The default message text for a code: `123456 is your login code` (per purpose). */
export function smsText(code: string, purpose: SmsPurpose): string {
  return `${code} is your ${NAMES[purpose]} code`;
}
