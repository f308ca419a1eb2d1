import { authErrorStatus } from '../../src/http/error-status.js';
import { OneCredentialCheckPerRequest } from '../../src/errors.js';
import { claimCredentialCheck } from '../../src/throttle/credential-check.js';

describe('claimCredentialCheck', () => {
  it('lets each request make one credential check; a second on the same request is a 400', () => {
    const request = {};
    expect(() => claimCredentialCheck(request)).not.toThrow();
    let error: unknown;
    try {
      claimCredentialCheck(request);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OneCredentialCheckPerRequest);
    expect(authErrorStatus(error)).toBe(400);
    // Another request has its own.
    expect(() => claimCredentialCheck({})).not.toThrow();
  });
});
