/** Public types of the QR-code login flow. */
import type { TokenPair } from '@koa-auth/koa';
import type { WechatProfileView } from '../binding/profile-view.js';

/** `login`: sign in (or sign up) with WeChat. `bind`: link WeChat to the logged-in user. */
export type QrLoginMode = 'login' | 'bind';

/**
 * Where a QR login stands.
 * - `pending`: waiting for the phone (or for the callback being processed).
 * - `scanned`: reserved, never reported. WeChat tells the QR page (through an undocumented
 *   long-poll the server cannot see) but never the server; reporting it would be guesswork.
 * - `confirmed`: WeChat called back and the login (or binding) succeeded; call `complete`.
 * - `denied`: cancelled or refused (snapshot user, disabled account, account linked elsewhere).
 * - `error`: WeChat or the site failed (bad code, API error); start again.
 * - `expired`: the state timed out, was completed already, or never existed.
 */
export type QrLoginStatus = 'pending' | 'scanned' | 'confirmed' | 'denied' | 'expired' | 'error';

/** Why a login was denied or failed: a stable code and a message for people. */
export interface QrLoginReason {
  code: string;
  message: string;
  /** WeChat's errcode, when WeChat answered with one. */
  errcode?: number;
}

/** What `status` and `onStatus` report. */
export interface QrStatusView {
  status: QrLoginStatus;
  /** Absent for states that are unknown (expired, completed, never existed). */
  mode?: QrLoginMode;
  /** ISO 8601: when the QR code stops being accepted. Absent for unknown states. */
  expiresAt?: string;
  reason?: QrLoginReason;
}

export interface QrStartOptions {
  /** Default `login`. `bind` needs a logged-in user. */
  mode?: QrLoginMode;
  /**
   * Bearer mode (apps without cookies): the state is bound to a `browserKey` returned here
   * instead of to the session, and `complete` returns a token pair instead of logging in.
   */
  bearer?: boolean;
}

export interface QrStartResult {
  /** Single-use, ≥128 random bits, `[A-Za-z0-9]`; goes into the QR URL (and wxLogin's `state`). */
  state: string;
  /** WeChat's QR login page for this state (`/connect/qrconnect`), redirecting to the callback. */
  qrUrl: string;
  /** ISO 8601. */
  expiresAt: string;
  /** Bearer mode only: the secret proving "I started this login". Keep it; never put it in a URL. */
  browserKey?: string;
}

/** What `complete` hands back. */
export type QrCompleteResult = { mode: 'login'; userId: number; tokens?: TokenPair } | { mode: 'bind'; userId: number; profile: WechatProfileView | null };
