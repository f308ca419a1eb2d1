/** The emulator's clock: a base time source plus an offset that tests move forward. */

export interface EmulatorClock {
  /** Current time in milliseconds since the epoch. */
  now(): number;
  /** Moves time forward, e.g. past a code's or token's lifetime. */
  advance(seconds: number): void;
  /** Drops the accumulated offset. */
  reset(): void;
}

export function createClock(base: () => number = Date.now): EmulatorClock {
  let offsetMs = 0;
  return {
    now: () => base() + offsetMs,
    advance(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('clock.advance: seconds must be ≥ 0');
      offsetMs += seconds * 1000;
    },
    reset() {
      offsetMs = 0;
    },
  };
}
