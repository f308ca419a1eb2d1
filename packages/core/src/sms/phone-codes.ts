import { randomBytes, randomInt } from 'node:crypto';
import { ImproperlyConfigured, ValidationError } from '../errors.js';
import { constantTimeEqual } from '../hashers/constant-time.js';
import type { KeyValueStore } from '../store/key-value-store.js';
import { saltedHmacHex } from '../password-reset/salted-hmac.js';
import { isSmsPurpose, type SmsPurpose } from './sms-purpose.js';

/** Options of {@link PhoneCodes}. */
export interface PhoneCodesOptions {
  /** Where codes live: a RedisStore shares them between instances. */
  store: KeyValueStore;
  /** The app's secret (SECRET_KEY): codes are stored as HMACs keyed from it. */
  secret: string;
  /** How long a code is accepted, in seconds. Default 300 (5 minutes). */
  ttlSeconds?: number;
  /** Tries a code survives, right or wrong; the next try finds it dead. Default 5. */
  maxAttempts?: number;
}

/**
 * Who a code is for: the E.164 number, the purpose and the requesting browser. `binding` is a
 * secret of that browser's session (koa: a random value kept in the server-side session), so a
 * code sent to one browser cannot be redeemed from another.
 */
export interface PhoneCodeRequest {
  phone: string;
  purpose: SmsPurpose;
  binding: string;
}

/** A newly issued code: send `code` to the phone, nowhere else. */
export interface IssuedPhoneCode {
  code: string;
  expiresInSeconds: number;
}

/**
 * The outcome of a verification. The reasons are for logs and tests only: callers answer every
 * failure with the same message, so an attacker learns nothing from it.
 */
export type PhoneCodeCheck = { ok: true } | { ok: false; reason: 'missing' | 'wrong' | 'exhausted' | 'used' };

const KEY_SALT = 'koa-auth.sms.PhoneCodes';
const DEFAULT_TTL_SECONDS = 300;
const DEFAULT_MAX_ATTEMPTS = 5;
const CODE_SPACE = 1_000_000;
const E164 = /^\+[1-9]\d{5,14}$/;
const MAX_BINDING = 256;

interface StoredCode {
  /** One issue of a code: its try counter and used marker are per id, so a new code starts afresh. */
  id: string;
  /** HMAC of slot, id and code: the code itself is never stored. */
  digest: string;
}

/**
 * One-time SMS codes: 6 digits from the CSPRNG, stored only as an HMAC (keyed from the app's
 * secret with Django's salted_hmac, the derivation of the reset tokens) under a key derived from
 * phone, purpose and browser binding; accepted once, within `ttlSeconds`, and dead after
 * `maxAttempts` tries. Issuing again for the same phone, purpose and browser replaces the code.
 *
 * Every step is one atomic store operation, so the guarantees hold across instances sharing a
 * RedisStore and under any concurrency: a try is counted (INCR) before the code is compared, so
 * parallel wrong guesses cannot pass `maxAttempts`; a right code is claimed with SET NX, so of
 * parallel verifications of it exactly one succeeds. Comparison is constant-time.
 */
export class PhoneCodes {
  readonly ttlSeconds: number;
  readonly maxAttempts: number;
  private readonly store: KeyValueStore;
  private readonly secret: string;

  /** Throws ImproperlyConfigured for a missing store or secret, or limits that are not positive whole numbers. */
  constructor(options: PhoneCodesOptions) {
    if (!options?.store) throw new ImproperlyConfigured('PhoneCodes needs a store.');
    if (typeof options.secret !== 'string' || options.secret.length === 0) throw new ImproperlyConfigured('PhoneCodes needs the secret.');
    this.ttlSeconds = positiveInteger('ttlSeconds', options.ttlSeconds ?? DEFAULT_TTL_SECONDS);
    this.maxAttempts = positiveInteger('maxAttempts', options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.store = options.store;
    this.secret = options.secret;
  }

  /**
   * A new code for `request`, replacing any earlier one of the same phone, purpose and browser.
   * Throws a ValidationError on `phone` unless it is E.164 (normalise first: toE164).
   */
  async issue(request: PhoneCodeRequest): Promise<IssuedPhoneCode> {
    const slot = this.slot(request);
    const code = String(randomInt(0, CODE_SPACE)).padStart(6, '0');
    const id = randomBytes(12).toString('hex');
    const stored: StoredCode = { id, digest: this.digest(slot, id, code) };
    await this.store.set(codeKey(slot), JSON.stringify(stored), this.ttlSeconds * 1000);
    return { code, expiresInSeconds: this.ttlSeconds };
  }

  /**
   * Check `code` for `request`, consuming it when right. Each call on a live code counts as one
   * try before anything is compared; from try `maxAttempts + 1` on the code is dead, even for
   * the right digits. Anything that is not the live code's digits is simply wrong.
   */
  async verify(request: PhoneCodeRequest, code: string): Promise<PhoneCodeCheck> {
    const slot = this.slot(request);
    const stored = parseStored(await this.store.get(codeKey(slot)));
    if (!stored) return { ok: false, reason: 'missing' };
    const ttlMs = this.ttlSeconds * 1000;
    const tries = await this.store.increment(triesKey(slot, stored.id), ttlMs);
    if (tries > this.maxAttempts) return { ok: false, reason: 'exhausted' };
    const given = typeof code === 'string' && code.length <= 32 ? code : '';
    if (!constantTimeEqual(this.digest(slot, stored.id, given), stored.digest)) return { ok: false, reason: 'wrong' };
    // The claim, not the comparison, decides: of concurrent right answers one stores the marker.
    if (!(await this.store.setIfAbsent(usedKey(slot, stored.id), '1', ttlMs))) return { ok: false, reason: 'used' };
    // Tidy-up only (the marker already kills the code); keep a newer code issued meanwhile.
    const current = parseStored(await this.store.get(codeKey(slot)));
    if (current?.id === stored.id) await this.store.delete(codeKey(slot));
    return { ok: true };
  }

  /** Store key of one phone + purpose + browser: an HMAC, so neither the number nor the binding sits in the store. */
  private slot(request: PhoneCodeRequest): string {
    const { phone, purpose, binding } = request;
    if (typeof phone !== 'string' || !E164.test(phone)) throw ValidationError.field('phone', 'invalid', 'Enter a valid phone number.');
    if (!isSmsPurpose(purpose)) throw ValidationError.field('purpose', 'invalid', 'Unknown purpose.');
    if (typeof binding !== 'string' || binding.length === 0 || binding.length > MAX_BINDING) {
      throw new ImproperlyConfigured('PhoneCodes needs the browser binding: a non-empty string of at most 256 characters.');
    }
    return saltedHmacHex(`${KEY_SALT}.slot`, `${purpose}\n${phone}\n${binding}`, this.secret, 'sha256');
  }

  private digest(slot: string, id: string, code: string): string {
    return saltedHmacHex(`${KEY_SALT}.code`, `${slot}\n${id}\n${code}`, this.secret, 'sha256');
  }
}

function codeKey(slot: string): string {
  return `sms-code:${slot}`;
}

function triesKey(slot: string, id: string): string {
  return `sms-code-tries:${slot}:${id}`;
}

function usedKey(slot: string, id: string): string {
  return `sms-code-used:${slot}:${id}`;
}

function parseStored(raw: string | null): StoredCode | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredCode>;
    return typeof value.id === 'string' && typeof value.digest === 'string' ? { id: value.id, digest: value.digest } : null;
  } catch {
    return null;
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new ImproperlyConfigured(`PhoneCodes ${name} must be a positive whole number.`);
  return value;
}
