import { AuthError } from '@koa-auth/core';

/** A request body over the configured limit (413). */
export class PayloadTooLarge extends AuthError {
  constructor(limit: number) {
    super('payload_too_large', `Request body larger than ${limit} bytes.`);
  }
}
