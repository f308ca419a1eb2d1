/**
 * One password hashing algorithm (Django's BasePasswordHasher). An encoded password is
 * `<algorithm>$<algorithm-specific fields>`; the registry picks the hasher by that prefix.
 */
export interface PasswordHasher {
  /** The prefix before the first `$` of the hashes this hasher writes and reads. */
  readonly algorithm: string;
  /** Hash a raw password with a fresh salt, using the current parameters. */
  encode(password: string): Promise<string>;
  /** True when `password` matches `encoded`; comparison is constant-time. */
  verify(password: string, encoded: string): Promise<boolean>;
  /** True when `encoded` was made with other parameters than the current ones (Django's must_update). */
  mustUpdate(encoded: string): boolean;
  /**
   * Optional (Django's harden_runtime): after a failed `verify` of a hash whose parameters are
   * weaker than the current ones, do the missing part of the work so a wrong password costs about
   * as long as it would against a current hash. Never calls `encode` or `verify`.
   */
  hardenRuntime?(password: string, encoded: string): Promise<void>;
  /** True for hashers that only read old hashes (Django's legacy formats): never the default. */
  readonly verifyOnly?: boolean;
}
