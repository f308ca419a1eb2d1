/**
 * What WechatBackend learned from a Mini Program code, handed to the login flow beside the
 * request object (core's authenticate() returns only the user). Kept in a WeakMap in memory:
 * the session_key is never put on the request, a user, an event or an error.
 */
import type { AuthRequest } from '@koa-auth/core';

/** The result of a `jscode2session` exchange as the login flow needs it. */
export interface MiniProgramSessionNote {
  appid: string;
  openid: string;
  /** WeChat's session_key for this login: stored server-side only. */
  sessionKey: string;
  /** True when this login created the user. */
  created: boolean;
}

const notes = new WeakMap<AuthRequest, MiniProgramSessionNote>();

/** Record the exchange made while authenticating `request` (no-op without a request object). */
export function noteMiniProgramSession(request: AuthRequest | null, note: MiniProgramSessionNote): void {
  if (request) notes.set(request, note);
}

/** The exchange recorded for `request`, removed on the way (it is read once, by the login flow). */
export function takeMiniProgramSession(request: AuthRequest): MiniProgramSessionNote | undefined {
  const note = notes.get(request);
  notes.delete(request);
  return note;
}
