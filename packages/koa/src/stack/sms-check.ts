import { ImproperlyConfigured, type AbstractUser, type Auth } from '@koa-auth/core';
import { PhoneCodeBackend } from '@koa-auth/core/sms';
import type { SmsOptions } from '../sms/sms-options.js';

/**
 * Start-up checks of koaAuth's `sms` option: the chain must hold a PhoneCodeBackend (it logs
 * SMS users in, and sessions made through it load through it), and SMS sign-up needs a user
 * model that an account can be made of from a phone alone (USERNAME_FIELD username or phone).
 */
export function checkSmsOptions<U extends AbstractUser>(auth: Auth<U>, sms: SmsOptions | undefined): void {
  if (!sms) return;
  if (!PhoneCodeBackend.of(auth)) {
    throw new ImproperlyConfigured('koaAuth `sms` needs a PhoneCodeBackend: createAuth({ backends: [new MixedLoginBackend(), new PhoneCodeBackend()] }).');
  }
  if (sms.allowSignUp === true && auth.userModel.USERNAME_FIELD === 'email') {
    throw new ImproperlyConfigured('sms.allowSignUp needs a user model that logs in by username or phone: an SMS sign-up has no email address.');
  }
}
