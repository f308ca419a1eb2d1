/**
 * A one-slot wake-up signal: `notify()` wakes a pending `wait()`, or the next one if nobody is
 * waiting yet, so a pub/sub message arriving between two waits is never lost.
 */
export class Wakeup {
  #pending = false;
  #wake: (() => void) | undefined;

  /** Wake the pending `wait()`, or make the next one return at once. */
  notify(): void {
    const wake = this.#wake;
    if (wake) wake();
    else this.#pending = true;
  }

  /** Resolves on `notify()`, after `ms`, or when `signal` aborts, whichever comes first. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.#pending || signal?.aborted) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }
}
