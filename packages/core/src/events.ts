import type { AbstractUser } from './models/abstract-user.js';
import type { AuthRequest } from './backends/auth-backend.js';

/** Payloads of the auth events (Django's user_logged_in, user_logged_out, user_login_failed). */
export interface AuthEventMap<U extends AbstractUser = AbstractUser> {
  userLoggedIn: { user: U; backend: string; request: AuthRequest | null };
  userLoggedOut: { user: U | null; request: AuthRequest | null };
  /** `credentials` has every sensitive value masked: passwords never reach listeners. */
  userLoginFailed: { credentials: Record<string, unknown>; request: AuthRequest | null };
}

type Listener<T> = (payload: T) => void | Promise<void>;

/**
 * Typed events. A listener that throws or rejects is reported through `onError` and never
 * breaks the login or logout that emitted the event.
 */
export class AuthEvents<U extends AbstractUser = AbstractUser> {
  private readonly listeners: { [K in keyof AuthEventMap<U>]?: Set<Listener<AuthEventMap<U>[K]>> } = {};

  constructor(private readonly onError: (error: unknown, event: string) => void = defaultOnError) {}

  /** Listen to an event; returns a function that removes the listener. */
  on<K extends keyof AuthEventMap<U>>(event: K, listener: Listener<AuthEventMap<U>[K]>): () => void {
    const set = (this.listeners[event] ??= new Set() as never) as Set<Listener<AuthEventMap<U>[K]>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Call every listener of `event` concurrently and resolve once all have settled. Never
   * rejects: a listener's error goes to `onError` (default: its message on the console, never
   * the payload).
   */
  async emit<K extends keyof AuthEventMap<U>>(event: K, payload: AuthEventMap<U>[K]): Promise<void> {
    const set = this.listeners[event] as Set<Listener<AuthEventMap<U>[K]>> | undefined;
    if (!set || set.size === 0) return;
    await Promise.all(
      [...set].map(async (listener) => {
        try {
          await listener(payload);
        } catch (error) {
          this.onError(error, event);
        }
      }),
    );
  }
}

function defaultOnError(error: unknown, event: string): void {
  // The payload is deliberately not logged: it may hold request data.
  console.error(`[koa-auth] a ${event} listener failed:`, error instanceof Error ? error.message : error);
}
