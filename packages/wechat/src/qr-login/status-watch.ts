/**
 * The watch loop behind `QrLogin.watch` / `wechat.onStatus`: yield the current value, then
 * each change, until a final one. Changes are pushed by the store's pub/sub (which reaches
 * every instance sharing a Redis store); a periodic re-read covers a lost message, so the loop
 * can never hang on one. It subscribes BEFORE the first read, so a change between the read and
 * the subscription still wakes it.
 */
import type { KeyValueStore } from '@koa-auth/core';
import { Wakeup } from './wakeup.js';

export interface WatchOptions<T> {
  store: KeyValueStore;
  channel: string;
  read(): Promise<T>;
  isFinal(value: T): boolean;
  /** Milliseconds until the next re-read without a message. */
  nextCheckMs(): number;
  signal?: AbortSignal | undefined;
}

/**
 * Yields `read()`'s value, then each different value, until `isFinal` or `signal` aborts;
 * subscribed to `channel` before the first read and unsubscribed when the generator ends.
 */
export async function* watchStatus<T>(options: WatchOptions<T>): AsyncGenerator<T, void> {
  const { store, signal } = options;
  const wakeup = new Wakeup();
  const unsubscribe = await store.subscribe(options.channel, () => wakeup.notify());
  try {
    let last: string | undefined;
    while (!signal?.aborted) {
      const value = await options.read();
      const key = JSON.stringify(value);
      if (key !== last) {
        last = key;
        yield value;
      }
      if (options.isFinal(value)) return;
      await wakeup.wait(options.nextCheckMs(), signal);
    }
  } finally {
    await unsubscribe();
  }
}

/** A generator of one value. */
export async function* once<T>(value: T): AsyncGenerator<T, void> {
  yield value;
}
