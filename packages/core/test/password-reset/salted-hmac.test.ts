import { saltedHmacHex } from '../../src/password-reset/salted-hmac.js';

describe('saltedHmacHex', () => {
  // Django's tests/utils_tests/test_crypto.py test_salted_hmac (the cases with an explicit secret).
  it.each([
    ['abcdefg', '8bbee04ccddfa24772d1423a0ba43bd0c0e24b76'],
    ['x'.repeat(64), 'bd3749347b412b1b0a9ea65220e55767ac8e96b0'],
  ])('matches Django for secret %s (sha1)', (secret, expected) => {
    expect(saltedHmacHex('salt', 'value', secret, 'sha1')).toBe(expected);
  });

  it('gives a different key per salt and per secret', () => {
    const base = saltedHmacHex('salt', 'value', 'secret', 'sha256');
    expect(base).toHaveLength(64);
    expect(saltedHmacHex('other', 'value', 'secret', 'sha256')).not.toBe(base);
    expect(saltedHmacHex('salt', 'value', 'other', 'sha256')).not.toBe(base);
  });
});
