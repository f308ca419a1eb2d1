import { ImproperlyConfigured, ValidationError } from '../errors.js';
import { legacyAlgorithmOf } from './django-legacy-hashers.js';
import type { PasswordHasher } from './password-hasher.js';
import { randomString } from './random-string.js';

/** Stored passwords starting with this can never match (Django's UNUSABLE_PASSWORD_PREFIX). */
export const UNUSABLE_PASSWORD_PREFIX = '!';
/** Random characters after the prefix, so unusable passwords differ (Django's UNUSABLE_PASSWORD_SUFFIX_LENGTH). */
export const UNUSABLE_PASSWORD_SUFFIX_LENGTH = 40;
/**
 * Longest raw password ever hashed, in UTF-16 code units (JavaScript string length). Longer
 * ones are refused, so a request cannot make the server hash megabytes.
 */
export const MAX_PASSWORD_LENGTH = 4096;

/** Called with the new default-hasher hash after a successful check of an outdated one. */
export type PasswordUpgradeHandler = (newEncoded: string) => Promise<void> | void;

function assertRawPassword(raw: unknown): asserts raw is string {
  if (typeof raw !== 'string') throw ValidationError.field('password', 'invalid', 'The password must be a string.');
  refuseNullCharacters(raw);
}

/**
 * NUL is refused in every password set or checked (Django's ProhibitNullCharactersValidator):
 * scrypt and other C-string-minded code may treat trailing NULs as absent, so `secret\0` could
 * otherwise match `secret`. Checked before any lookup result is used, so the answer is the same
 * whether the account exists or not.
 */
function refuseNullCharacters(raw: string): void {
  if (raw.includes('\0')) throw ValidationError.field('password', 'null_characters_not_allowed', 'Null characters are not allowed.');
}

/**
 * The configured password hashers (Django's PASSWORD_HASHERS with make_password, check_password
 * and is_password_usable). The first hasher is the default: new hashes use it, and a successful
 * check of a hash made by another hasher, or by the default with other parameters, offers an
 * upgraded hash through `onUpgrade`.
 *
 * Timing: every `checkPassword` and `hardenRuntime` costs exactly one hash computation of the
 * default hasher (one `verify` call) whatever the stored value is — missing, unusable, of an
 * unknown algorithm, or real — so response times do not reveal which accounts exist or have a
 * usable password. The dummy hash that the no-hash paths verify against is made once, lazily, with
 * one extra `encode` on first use; call `warmUp()` at startup to pay that before serving requests.
 */
export class PasswordHashers {
  /** The hasher new passwords are hashed with. */
  readonly default: PasswordHasher;
  private readonly byAlgorithm = new Map<string, PasswordHasher>();
  private dummyHash: Promise<string> | undefined;

  /** Throws ImproperlyConfigured when `hashers` is empty or two share an algorithm. */
  constructor(hashers: PasswordHasher[]) {
    const [first] = hashers;
    if (!first) throw new ImproperlyConfigured('PasswordHashers needs at least one hasher; the first is the default.');
    for (const hasher of hashers) {
      const { algorithm } = hasher;
      if (!algorithm || algorithm.includes('$') || algorithm.startsWith(UNUSABLE_PASSWORD_PREFIX)) {
        throw new ImproperlyConfigured(`Invalid password hasher algorithm name: ${JSON.stringify(algorithm)}.`);
      }
      if (this.byAlgorithm.has(algorithm)) {
        throw new ImproperlyConfigured(`Two password hashers share the algorithm ${JSON.stringify(algorithm)}.`);
      }
      this.byAlgorithm.set(algorithm, hasher);
    }
    if (first.verifyOnly) {
      throw new ImproperlyConfigured(`The ${first.algorithm} hasher only verifies old hashes: it cannot be the default (first) hasher.`);
    }
    this.default = first;
  }

  /** The hasher for `encoded`'s algorithm prefix, or null when unusable, malformed or not configured. */
  identify(encoded: string | null | undefined): PasswordHasher | null {
    if (typeof encoded !== 'string' || !this.isPasswordUsable(encoded)) return null;
    const legacy = legacyAlgorithmOf(encoded);
    if (legacy) return this.byAlgorithm.get(legacy) ?? null;
    const end = encoded.indexOf('$');
    return end > 0 ? (this.byAlgorithm.get(encoded.slice(0, end)) ?? null) : null;
  }

  /**
   * Hash `raw` with the default hasher; `null` gives an unusable password (`!` + 40 random
   * letters and digits). Throws ValidationError on `password` when `raw` is not a string
   * (`invalid`), holds a NUL character (`null_characters_not_allowed`) or is longer than
   * MAX_PASSWORD_LENGTH (`password_too_long`).
   */
  async makePassword(raw: string | null): Promise<string> {
    if (raw === null) return UNUSABLE_PASSWORD_PREFIX + randomString(UNUSABLE_PASSWORD_SUFFIX_LENGTH);
    assertRawPassword(raw);
    if (raw.length > MAX_PASSWORD_LENGTH) {
      throw ValidationError.field('password', 'password_too_long', `The password must contain at most ${MAX_PASSWORD_LENGTH} characters.`);
    }
    return this.default.encode(raw);
  }

  /**
   * False for a missing or empty stored value and for unusable passwords (`!` prefix). Unlike
   * Django, null counts as unusable: there is nothing a password could match.
   */
  isPasswordUsable(encoded: string | null | undefined): boolean {
    return typeof encoded === 'string' && encoded.length > 0 && !encoded.startsWith(UNUSABLE_PASSWORD_PREFIX);
  }

  /**
   * True when `raw` matches `encoded`. On success, when `encoded` was made by a non-default
   * hasher or with outdated parameters, hashes `raw` with the default hasher and awaits
   * `onUpgrade(newEncoded)`; the caller stores it as a re-hash, not as a password change (its
   * errors propagate). A missing, unusable or unknown-algorithm `encoded`, or a `raw` longer than
   * MAX_PASSWORD_LENGTH, returns false after one dummy computation; so does a `raw` that is not
   * a string (null: Django's check_password(None, …)), without throwing. Throws ValidationError
   * on `password` when `raw` holds a NUL character (`null_characters_not_allowed`).
   */
  async checkPassword(raw: string | null | undefined, encoded: string | null | undefined, onUpgrade?: PasswordUpgradeHandler): Promise<boolean> {
    if (typeof raw !== 'string') {
      await this.hardenRuntime('');
      return false;
    }
    refuseNullCharacters(raw);
    const hasher = this.identify(encoded);
    if (!hasher || !encoded || raw.length > MAX_PASSWORD_LENGTH) {
      await this.hardenRuntime(raw);
      return false;
    }
    const hasherChanged = hasher.algorithm !== this.default.algorithm;
    const mustUpdate = hasherChanged || this.default.mustUpdate(encoded);
    const correct = await hasher.verify(raw, encoded);
    if (!correct) {
      // Django hardens only when the algorithm is the default one: a weaker stored hash of the
      // same algorithm would otherwise answer a wrong password faster than a current hash does.
      if (!hasherChanged && mustUpdate) await hasher.hardenRuntime?.(raw, encoded);
      return false;
    }
    if (mustUpdate && onUpgrade) await onUpgrade(await this.default.encode(raw));
    return true;
  }

  /**
   * Do the work of one password check and discard the result, for paths with no stored hash
   * (unknown user). Exactly one default-hasher `verify` once the dummy hash exists. A non-string
   * `raw` is replaced and a long one truncated to MAX_PASSWORD_LENGTH; a `raw` with a NUL throws
   * the ValidationError checkPassword throws, so an unknown account answers like a known one.
   */
  async hardenRuntime(raw: string): Promise<void> {
    if (typeof raw === 'string') refuseNullCharacters(raw);
    const candidate = typeof raw === 'string' ? raw.slice(0, MAX_PASSWORD_LENGTH) : '';
    await this.default.verify(candidate, await this.getDummyHash());
  }

  /** Create the cached dummy hash now (one default-hasher `encode`), so no request pays for it. */
  async warmUp(): Promise<void> {
    await this.getDummyHash();
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.default.encode(randomString(UNUSABLE_PASSWORD_SUFFIX_LENGTH)).catch((error: unknown) => {
      // Let the next call try again instead of caching a failure.
      this.dummyHash = undefined;
      throw error;
    });
    return this.dummyHash;
  }
}
