import { OneCredentialCheckPerRequest } from '../errors.js';

// Requests (Koa contexts) that already made their credential check. Weak: nothing to clean up.
const checked = new WeakSet<object>();

/**
 * Claim the one credential check `request` (a Koa ctx) may make, before any password, code or
 * second factor is looked at; throws OneCredentialCheckPerRequest (400) for a second claim on
 * the same request. Synchronous check-and-set, so the calls of one tRPC batch, which run
 * concurrently, cannot both pass. Every procedure or route that checks a secret calls it (the
 * tRPC `credentialProcedure` does so for you).
 */
export function claimCredentialCheck(request: object): void {
  if (checked.has(request)) throw new OneCredentialCheckPerRequest();
  checked.add(request);
}
