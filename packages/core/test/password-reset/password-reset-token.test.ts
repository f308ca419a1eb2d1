import { createHash, createHmac } from 'node:crypto';
import { ImproperlyConfigured } from '../../src/errors.js';
import { PasswordResetTokenGenerator, type ResetTokenUser } from '../../src/password-reset/password-reset-token.js';

const SECRET = 'test-secret-0123456789abcdefghijklmnop';
const START = new Date('2024-05-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

function clock(start: Date = START) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
  };
}

function makeUser(overrides: Partial<ResetTokenUser> = {}): ResetTokenUser {
  return {
    id: 42,
    password: 'scrypt-kdf$c2NyeXB0AAo=',
    lastLogin: new Date('2024-04-30T08:15:30.123Z'),
    email: 'alice@example.com',
    ...overrides,
  };
}

describe('PasswordResetTokenGenerator', () => {
  it('makes <base36 seconds since 2001>-<32 hex> tokens that check', () => {
    const generator = new PasswordResetTokenGenerator({ secret: SECRET, now: clock().now });
    const user = makeUser();
    const token = generator.makeToken(user);
    const seconds = (START.getTime() - Date.UTC(2001, 0, 1)) / 1000;
    expect(token).toMatch(/^[0-9a-z]+-[0-9a-f]{32}$/);
    expect(token.split('-')[0]).toBe(seconds.toString(36));
    expect(generator.checkToken(user, token)).toBe(true);
  });

  it("computes the hash as Django's salted_hmac(...).hexdigest()[::2]", () => {
    const generator = new PasswordResetTokenGenerator({ secret: SECRET, now: clock().now });
    const user = makeUser();
    const timestamp = (START.getTime() - Date.UTC(2001, 0, 1)) / 1000;
    const lastLoginSeconds = Math.floor(user.lastLogin!.getTime() / 1000);
    const value = `${user.id}${user.password}${lastLoginSeconds}${timestamp}${user.email}`;
    const key = createHash('sha256').update(`koa-auth.tokens.PasswordResetTokenGenerator${SECRET}`).digest();
    const hex = createHmac('sha256', key).update(value).digest('hex');
    const expected = `${timestamp.toString(36)}-${[...hex].filter((_, i) => i % 2 === 0).join('')}`;
    expect(generator.makeToken(user)).toBe(expected);
  });

  it('stays valid until the timeout and expires after it', () => {
    const time = clock();
    const generator = new PasswordResetTokenGenerator({ secret: SECRET, now: time.now });
    const user = makeUser();
    const token = generator.makeToken(user);
    time.advance(3 * DAY);
    expect(generator.checkToken(user, token)).toBe(true);
    time.advance(1000);
    expect(generator.checkToken(user, token)).toBe(false);
  });

  it('honours a custom timeout', () => {
    const time = clock();
    const generator = new PasswordResetTokenGenerator({ secret: SECRET, timeoutSeconds: 60, now: time.now });
    const user = makeUser();
    const token = generator.makeToken(user);
    time.advance(60_000);
    expect(generator.checkToken(user, token)).toBe(true);
    time.advance(1000);
    expect(generator.checkToken(user, token)).toBe(false);
  });

  it('rejects a token from further in the future than the timeout', () => {
    const future = clock(new Date(START.getTime() + 4 * DAY));
    const user = makeUser();
    const token = new PasswordResetTokenGenerator({ secret: SECRET, now: future.now }).makeToken(user);
    const nowGenerator = new PasswordResetTokenGenerator({ secret: SECRET, now: clock().now });
    expect(nowGenerator.checkToken(user, token)).toBe(false);
    const nearFuture = new PasswordResetTokenGenerator({ secret: SECRET, now: clock(new Date(START.getTime() + DAY)).now });
    expect(nowGenerator.checkToken(user, nearFuture.makeToken(user))).toBe(true);
  });

  it('is invalidated by a password change', () => {
    const generator = new PasswordResetTokenGenerator({ secret: SECRET, now: clock().now });
    const token = generator.makeToken(makeUser());
    expect(generator.checkToken(makeUser({ password: 'scrypt-kdf$other' }), token)).toBe(false);
    expect(generator.checkToken(makeUser({ password: null }), token)).toBe(false);
  });

  it('is invalidated by a new login, but not by sub-second precision lost in storage', () => {
    const generator = new PasswordResetTokenGenerator({ secret: SECRET, now: clock().now });
    const token = generator.makeToken(makeUser());
    expect(generator.checkToken(makeUser({ lastLogin: new Date('2024-05-01T12:00:00Z') }), token)).toBe(false);
    expect(generator.checkToken(makeUser({ lastLogin: null }), token)).toBe(false);
    // A DATETIME column without milliseconds gives back the same second.
    expect(generator.checkToken(makeUser({ lastLogin: new Date('2024-04-30T08:15:30Z') }), token)).toBe(true);
  });

  it('works for a user who never logged in, until the first login', () => {
    const generator = new PasswordResetTokenGenerator({ secret: SECRET, now: clock().now });
    const token = generator.makeToken(makeUser({ lastLogin: null }));
    expect(generator.checkToken(makeUser({ lastLogin: null }), token)).toBe(true);
    expect(generator.checkToken(makeUser(), token)).toBe(false);
  });

  it('is invalidated by an email change', () => {
    const generator = new PasswordResetTokenGenerator({ secret: SECRET, now: clock().now });
    const token = generator.makeToken(makeUser());
    expect(generator.checkToken(makeUser({ email: 'mallory@example.com' }), token)).toBe(false);
    expect(generator.checkToken(makeUser({ email: null }), token)).toBe(false);
  });

  it('is bound to the user id', () => {
    const generator = new PasswordResetTokenGenerator({ secret: SECRET, now: clock().now });
    const token = generator.makeToken(makeUser());
    expect(generator.checkToken(makeUser({ id: 43 }), token)).toBe(false);
    expect(generator.checkToken(makeUser({ id: '42' }), token)).toBe(true);
  });

  it('accepts tokens signed with a fallback secret after rotation', () => {
    const time = clock();
    const user = makeUser();
    const oldToken = new PasswordResetTokenGenerator({ secret: 'old-secret', now: time.now }).makeToken(user);
    const rotated = new PasswordResetTokenGenerator({ secret: SECRET, fallbackSecrets: ['old-secret'], now: time.now });
    expect(rotated.checkToken(user, oldToken)).toBe(true);
    // New tokens are signed with the current secret only.
    const newToken = rotated.makeToken(user);
    expect(new PasswordResetTokenGenerator({ secret: 'old-secret', now: time.now }).checkToken(user, newToken)).toBe(false);
    expect(new PasswordResetTokenGenerator({ secret: SECRET, now: time.now }).checkToken(user, newToken)).toBe(true);
  });

  it('rejects tokens signed with an unknown secret', () => {
    const time = clock();
    const user = makeUser();
    const token = new PasswordResetTokenGenerator({ secret: 'someone-else', now: time.now }).makeToken(user);
    const generator = new PasswordResetTokenGenerator({ secret: SECRET, fallbackSecrets: ['old-secret'], now: time.now });
    expect(generator.checkToken(user, token)).toBe(false);
  });

  it('rejects tokens made with another algorithm', () => {
    const time = clock();
    const user = makeUser();
    const sha1 = new PasswordResetTokenGenerator({ secret: SECRET, algorithm: 'sha1', now: time.now });
    const token = sha1.makeToken(user);
    expect(token).toMatch(/^[0-9a-z]+-[0-9a-f]{20}$/);
    expect(sha1.checkToken(user, token)).toBe(true);
    expect(new PasswordResetTokenGenerator({ secret: SECRET, now: time.now }).checkToken(user, token)).toBe(false);
  });

  it('returns false, never throws, for malformed tokens', () => {
    const generator = new PasswordResetTokenGenerator({ secret: SECRET, now: clock().now });
    const user = makeUser();
    const good = generator.makeToken(user);
    const [ts, hash] = good.split('-') as [string, string];
    const malformed: unknown[] = [
      '',
      '-',
      'abc',
      `${ts}-`,
      `-${hash}`,
      `${ts}-${hash}-x`,
      `${ts.toUpperCase()}-${hash}`,
      `0${ts}-${hash}`,
      `${ts}-${hash.toUpperCase()}`,
      `${ts}-${hash.slice(0, -1)}`,
      `${ts}-${hash}0`,
      ` ${good}`,
      `zzzzzzzzzzzzzz-${hash}`,
      `zzzzzzzzzzzzz-${hash}`,
      `+${ts}-${hash}`,
      `${ts}.5-${hash}`,
      `${ts}-${'é'.repeat(32)}`,
      null,
      undefined,
      42,
      {},
      ['a', 'b'],
      { toString: () => good },
    ];
    for (const token of malformed) expect(generator.checkToken(user, token)).toBe(false);
    expect(generator.checkToken(null, good)).toBe(false);
    expect(generator.checkToken(user, good)).toBe(true);
  });

  it('refuses an empty secret or fallback and bad options', () => {
    expect(() => new PasswordResetTokenGenerator({ secret: '' })).toThrow(ImproperlyConfigured);
    expect(() => new PasswordResetTokenGenerator({ secret: SECRET, fallbackSecrets: [''] })).toThrow(ImproperlyConfigured);
    expect(() => new PasswordResetTokenGenerator({ secret: SECRET, timeoutSeconds: -1 })).toThrow(ImproperlyConfigured);
    expect(() => new PasswordResetTokenGenerator({ secret: SECRET, algorithm: 'md5' as unknown as 'sha256' })).toThrow(ImproperlyConfigured);
  });

  it('never puts a secret in an error message', () => {
    try {
      new PasswordResetTokenGenerator({ secret: SECRET, fallbackSecrets: ['ok-secret', ''] });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('ok-secret');
      expect(String((error as Error).message)).not.toContain(SECRET);
    }
    expect.assertions(2);
  });
});
