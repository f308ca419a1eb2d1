import type { PasswordHasher } from '../../src/hashers/password-hasher.js';

/** Wraps a real hasher and counts the expensive calls; everything else is passed through. */
export class CountingHasher implements PasswordHasher {
  encodes = 0;
  verifies = 0;
  constructor(readonly inner: PasswordHasher) {}

  get algorithm(): string {
    return this.inner.algorithm;
  }

  /** encode + verify calls since the last reset. */
  get calls(): number {
    return this.encodes + this.verifies;
  }

  reset(): void {
    this.encodes = 0;
    this.verifies = 0;
  }

  encode(password: string): Promise<string> {
    this.encodes += 1;
    return this.inner.encode(password);
  }

  verify(password: string, encoded: string): Promise<boolean> {
    this.verifies += 1;
    return this.inner.verify(password, encoded);
  }

  mustUpdate(encoded: string): boolean {
    return this.inner.mustUpdate(encoded);
  }
}
