import type { SmsPurpose, SmsSender } from '@koa-auth/core/sms';
import type { SmsSendLimits } from '../throttle/sms-send-throttle.js';

/**
 * SMS verification codes (`auth.sms.send` / `auth.sms.verify`): set it and the procedures work;
 * leave it out and they answer 404. The auth's backend chain must hold a PhoneCodeBackend (it
 * logs the user in and owns the codes' lifetime and tries).
 */
export interface SmsOptions {
  /** Where codes go: your provider's adapter in production, ConsoleSmsSender in development, MemorySmsSender in tests. */
  sender: SmsSender;
  /**
   * A `login` code for a number no account has creates an account when verified. Default false:
   * such numbers get no message at all (nobody pays for strangers' SMS), with the same answer.
   */
  allowSignUp?: boolean;
  /** Send limits (see SmsSendLimits for the defaults). */
  limits?: SmsSendLimits;
  /** The message for a code. Default `smsText`: `123456 is your login code`. */
  text?: (code: string, purpose: SmsPurpose) => string;
}
