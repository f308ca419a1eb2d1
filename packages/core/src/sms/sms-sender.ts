import type { SmsPurpose } from './sms-purpose.js';

/**
 * One verification-code message. `text` is the ready-made sentence (for senders that send free
 * text); `code` and `purpose` are there for template-based providers (Aliyun, Tencent Cloud),
 * which take a template id per purpose and the code as its parameter.
 */
export interface SmsMessage {
  /** The number, in E.164 (`+8613900000000`). */
  phone: string;
  /** The one-time code (digits). A secret: never log it outside a development sender. */
  code: string;
  purpose: SmsPurpose;
  /** The message as one sentence, e.g. `123456 is your login code`. */
  text: string;
}

/**
 * Where verification codes go: plug in your SMS provider's SDK in production (see the README for
 * Aliyun and Tencent Cloud sketches). `send` resolves once the provider accepted the message and
 * rejects when it did not; the caller answers 503 and gives the number's send allowance back.
 * Implementations must not put the code into errors they throw.
 */
export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}
