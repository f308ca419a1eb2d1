import { formatPhone } from '../../src/users/phone-number.js';

describe('formatPhone', () => {
  it('shows numbers of the given region nationally and others internationally', () => {
    expect(formatPhone('+8613800138000', 'CN')).toBe('138 0013 8000');
    expect(formatPhone('+16502530000', 'CN')).toBe('+1 650 253 0000');
    expect(formatPhone('+8613800138000')).toBe('+86 138 0013 8000');
  });

  it('returns text it cannot parse unchanged', () => {
    expect(formatPhone('not a number', 'CN')).toBe('not a number');
    expect(formatPhone('+'.repeat(100), 'CN')).toBe('+'.repeat(100));
  });
});
