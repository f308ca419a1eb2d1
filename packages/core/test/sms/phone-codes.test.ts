/**
 * PhoneCodes on the file's store (Redis with REDIS_URL, else memory): codes are 6 CSPRNG
 * digits stored only as HMACs, accepted once, for one phone, purpose and browser, within their
 * lifetime, and dead after the allowed tries — also under concurrency.
 */
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { ImproperlyConfigured, ValidationError } from '../../src/errors.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { PhoneCodes } from '../../src/sms/phone-codes.js';
import type { KeyValueStore } from '../../src/store/key-value-store.js';
import { TEST_SECRET, TestStores } from '@koa-auth/core/testing';

const stores = new TestStores('sms/phone-codes');
const store = stores.open();
afterAll(() => stores.close());

const codes = new PhoneCodes({ store, secret: TEST_SECRET });
let n = 0;
/** A phone number of its own per test, so tests never share codes. */
function phone(): string {
  n += 1;
  return `+86139${String(n).padStart(8, '0')}`;
}
const wrongOf = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** Every key and value the store holds under its prefix (memory: through the private map). */
async function storedText(s: KeyValueStore): Promise<string> {
  if (s instanceof MemoryStore) {
    const entries = (s as unknown as { entries: Map<string, { value?: string }> }).entries;
    return [...entries].map(([k, v]) => `${k}=${v.value ?? ''}`).join('\n');
  }
  const redis = (s as unknown as { client: { keys(p: string): Promise<string[]>; get(k: string): Promise<string | null>; type(k: string): Promise<string> } })
    .client;
  const keys = await redis.keys(`${stores.prefix}*`);
  const parts: string[] = [];
  for (const key of keys) parts.push(`${key}=${(await redis.type(key)) === 'string' ? await redis.get(key) : ''}`);
  return parts.join('\n');
}

describe('PhoneCodes', () => {
  it('issues 6 digits that verify once for the same phone, purpose and browser', async () => {
    const request = { phone: phone(), purpose: 'login' as const, binding: 'browser-a' };
    const { code, expiresInSeconds } = await codes.issue(request);
    expect(code).toMatch(/^\d{6}$/);
    expect(expiresInSeconds).toBe(300);
    expect(await codes.verify(request, code)).toEqual({ ok: true });
    expect(await codes.verify(request, code)).toEqual({ ok: false, reason: 'missing' });
  });

  it('codes vary and are never stored in clear (nor the phone or the binding)', async () => {
    const request = { phone: phone(), purpose: 'login' as const, binding: 'browser-a' };
    const seen = new Set<string>();
    let last = '';
    for (let i = 0; i < 20; i++) {
      last = (await codes.issue(request)).code;
      seen.add(last);
    }
    expect(seen.size).toBeGreaterThan(15);
    const text = await storedText(store);
    expect(text).not.toContain(request.phone);
    expect(text).not.toContain('browser-a');
    expect(text).not.toContain(`"${last}"`);
    expect(text).not.toMatch(new RegExp(`[^0-9a-f]${last}[^0-9a-f]`));
  });

  it('refuses the code from another browser, for another purpose or another phone', async () => {
    const request = { phone: phone(), purpose: 'login' as const, binding: 'browser-a' };
    const { code } = await codes.issue(request);
    expect((await codes.verify({ ...request, binding: 'browser-b' }, code)).ok).toBe(false);
    expect((await codes.verify({ ...request, purpose: 'reset' }, code)).ok).toBe(false);
    expect((await codes.verify({ ...request, phone: phone() }, code)).ok).toBe(false);
    // None of those touched the real code's tries.
    expect(await codes.verify(request, code)).toEqual({ ok: true });
  });

  it('a code is dead after 5 tries: the 6th is refused even with the right digits', async () => {
    const request = { phone: phone(), purpose: 'verify' as const, binding: 'browser-a' };
    const { code } = await codes.issue(request);
    for (let i = 0; i < 5; i++) expect(await codes.verify(request, wrongOf(code))).toEqual({ ok: false, reason: 'wrong' });
    expect(await codes.verify(request, code)).toEqual({ ok: false, reason: 'exhausted' });
  });

  it('the right code on the 5th try still counts', async () => {
    const request = { phone: phone(), purpose: 'verify' as const, binding: 'browser-a' };
    const { code } = await codes.issue(request);
    for (let i = 0; i < 4; i++) await codes.verify(request, wrongOf(code));
    expect(await codes.verify(request, code)).toEqual({ ok: true });
  });

  it('parallel wrong tries cannot pass the limit: 30 at once leave the right code dead', async () => {
    const request = { phone: phone(), purpose: 'login' as const, binding: 'browser-a' };
    const { code } = await codes.issue(request);
    const results = await Promise.all(Array.from({ length: 30 }, () => codes.verify(request, wrongOf(code))));
    expect(results.filter((r) => !r.ok && r.reason === 'wrong')).toHaveLength(5);
    expect(await codes.verify(request, code)).toEqual({ ok: false, reason: 'exhausted' });
  });

  it('parallel verifications of the right code: exactly one succeeds', async () => {
    const request = { phone: phone(), purpose: 'login' as const, binding: 'browser-a' };
    const { code } = await codes.issue(request);
    const results = await Promise.all(Array.from({ length: 5 }, () => codes.verify(request, code)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('a new code replaces the old one and starts with fresh tries', async () => {
    const request = { phone: phone(), purpose: 'login' as const, binding: 'browser-a' };
    const first = await codes.issue(request);
    for (let i = 0; i < 5; i++) await codes.verify(request, wrongOf(first.code));
    const second = await codes.issue(request);
    if (second.code !== first.code) expect((await codes.verify(request, first.code)).ok).toBe(false);
    const third = await codes.issue(request);
    expect(await codes.verify(request, third.code)).toEqual({ ok: true });
  });

  it('codes expire', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const memory = new MemoryStore({ sweepIntervalMs: 0 });
      const short = new PhoneCodes({ store: memory, secret: TEST_SECRET, ttlSeconds: 60 });
      const request = { phone: phone(), purpose: 'login' as const, binding: 'browser-a' };
      const { code } = await short.issue(request);
      jest.advanceTimersByTime(61_000);
      expect(await short.verify(request, code)).toEqual({ ok: false, reason: 'missing' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('another secret cannot verify (the HMAC is keyed)', async () => {
    const request = { phone: phone(), purpose: 'login' as const, binding: 'browser-a' };
    const { code } = await codes.issue(request);
    const other = new PhoneCodes({ store, secret: `${TEST_SECRET}-other` });
    expect((await other.verify(request, code)).ok).toBe(false);
  });

  it('refuses numbers that are not E.164 and bad settings', async () => {
    await expect(codes.issue({ phone: '13900000000', purpose: 'login', binding: 'b' })).rejects.toBeInstanceOf(ValidationError);
    await expect(codes.issue({ phone: '+8613900000000', purpose: 'spam' as never, binding: 'b' })).rejects.toBeInstanceOf(ValidationError);
    await expect(codes.issue({ phone: '+8613900000000', purpose: 'login', binding: '' })).rejects.toBeInstanceOf(ImproperlyConfigured);
    expect(() => new PhoneCodes({ store, secret: TEST_SECRET, maxAttempts: 0 })).toThrow(ImproperlyConfigured);
    expect(() => new PhoneCodes({ store, secret: '' })).toThrow(ImproperlyConfigured);
  });
});
