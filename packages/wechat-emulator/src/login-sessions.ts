/**
 * Login sessions: one per QR code / consent page shown. The `ticket` is the QR page's `uuid`
 * (used by its long-poll) and the handle tests pass to `POST /__emulator/confirm`.
 *
 * Status follows the QR page's long-poll codes (§1.1): waiting 408, scanned 404, cancelled 403,
 * expired 402, confirmed 405. A session is finished once confirmed or cancelled.
 */
import type { EmulatorClock } from './clock.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { newTicket } from './ids.js';

export type SessionStatus = 'waiting' | 'scanned' | 'confirmed' | 'cancelled' | 'expired';

export const LONG_POLL_CODE: Record<SessionStatus, number> = {
  waiting: 408,
  scanned: 404,
  cancelled: 403,
  expired: 402,
  confirmed: 405,
};

export interface LoginSession {
  ticket: string;
  request: AuthorizeRequest;
  /** Stored status; read `status()` for the effective one (which accounts for expiry). */
  stored: 'waiting' | 'scanned' | 'confirmed' | 'cancelled';
  userKey: string | undefined;
  /** First code issued on confirmation (the one the QR page's long-poll hands out). */
  code: string | undefined;
  expiresAt: number;
}

export class LoginSessions {
  readonly #sessions = new Map<string, LoginSession>();

  constructor(
    private readonly clock: EmulatorClock,
    private readonly ttlSeconds: number,
  ) {}

  create(request: AuthorizeRequest): LoginSession {
    this.#prune();
    const session: LoginSession = {
      ticket: newTicket(),
      request,
      stored: 'waiting',
      userKey: undefined,
      code: undefined,
      expiresAt: this.clock.now() + this.ttlSeconds * 1000,
    };
    this.#sessions.set(session.ticket, session);
    return session;
  }

  get(ticket: string): LoginSession | undefined {
    return this.#sessions.get(ticket);
  }

  status(session: LoginSession): SessionStatus {
    const open = session.stored === 'waiting' || session.stored === 'scanned';
    return open && this.clock.now() >= session.expiresAt ? 'expired' : session.stored;
  }

  clear(): void {
    this.#sessions.clear();
  }

  /** Forgets sessions long past expiry, so a long-running emulator does not grow forever. */
  #prune(): void {
    const horizon = this.clock.now() - 3600_000;
    for (const [ticket, session] of this.#sessions) {
      if (session.expiresAt < horizon) this.#sessions.delete(ticket);
    }
  }
}
