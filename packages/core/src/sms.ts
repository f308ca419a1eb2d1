/**
 * @koa-auth/core/sms — SMS verification codes, as a plugin of its own: the backend that logs a
 * phone number in with a code, the sender interface your SMS provider's adapter implements, and
 * a console sender for development. Turn it on with `PhoneCodeBackend` in createAuth's backends
 * and koaAuth's `sms` option. Covered by semver like the root entry. Re-exports only.
 */
export { PhoneCodeBackend, type PhoneCodeCredentials, type PhoneCodeBackendOptions } from './backends/phone-code-backend.js';
export type { SmsSender, SmsMessage } from './sms/sms-sender.js';
export type { SmsPurpose } from './sms/sms-purpose.js';
export { ConsoleSmsSender } from './sms/console-sms-sender.js';
