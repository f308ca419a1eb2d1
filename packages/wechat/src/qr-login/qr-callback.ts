/**
 * What WeChat's redirect to the callback (`?code=…&state=…`) does to a QR login:
 *
 * 1. The state is checked BEFORE anything is sent to WeChat: a missing, malformed, unknown
 *    (forged), completed (reused) or expired state is rejected and its code never exchanged.
 * 2. The first callback of a state claims it (set-if-absent). WeChat's duplicate callbacks
 *    (same state, another code) lose the claim: they exchange nothing and change nothing, and
 *    are answered with the outcome of the first.
 * 3. The code is authenticated through `auth.authenticate` (WechatBackend). In bind mode the
 *    request's user is the user who started the binding (not whoever holds the callback URL).
 * 4. The outcome is stored for `complete` and announced on the state's pub/sub channel.
 */
import type { AbstractUser, Auth, AuthRequest } from '@koa-auth/core';
import type { WechatBackend } from '../backend/wechat-backend.js';
import { bindWechatLoginTo, wechatProfileIdOf, wechatRefusalOf } from '../backend/wechat-login-context.js';
import { ALREADY_BOUND, BIND_USER_GONE, CANCELLED, denied, failed, LOGIN_REFUSED } from './outcomes.js';
import type { QrOutcome, QrRecords, QrStateRecord } from './qr-records.js';
import type { QrLoginMode, QrLoginReason } from './qr-types.js';

/** The callback request, as far as the flow needs it. */
export interface QrCallbackInput {
  state?: string | undefined;
  code?: string | undefined;
  ip?: string;
  header?(name: string): string | undefined;
}

export type QrCallbackResult =
  /** Refused before any exchange (bad, unknown, used or expired state). */
  | { kind: 'rejected'; reason: QrLoginReason }
  /** This callback decided the outcome. */
  | { kind: 'handled'; mode: QrLoginMode; outcome: QrOutcome }
  /** A repeated callback: `outcome` is the first one's (null while it is still being processed). */
  | { kind: 'duplicate'; mode: QrLoginMode; outcome: QrOutcome | null };

export interface QrCallbackDeps<U extends AbstractUser> {
  auth: Auth<U>;
  backend: WechatBackend<U>;
  records: QrRecords;
  now(): number;
  /** How long the store keeps a state's records (ms). */
  recordTtlMs: number;
  /** How long an outcome waits for `complete` (ms). */
  outcomeTtlMs: number;
  report(error: unknown): void;
}

const INVALID: QrLoginReason = { code: 'state_invalid', message: 'This login link is invalid or was already used. Please start again.' };
const EXPIRED: QrLoginReason = { code: 'state_expired', message: 'This QR code has expired. Please start again.' };

/**
 * Applies one callback to its QR login (the steps in this file's header): `rejected` for a bad, unknown, used or
 * expired state (no exchange), `duplicate` for a state already claimed (no exchange), else
 * `handled` with the stored outcome. Authentication failures become outcomes, not throws.
 */
export async function handleQrCallback<U extends AbstractUser>(deps: QrCallbackDeps<U>, input: QrCallbackInput): Promise<QrCallbackResult> {
  const state = input.state ?? '';
  const record = await deps.records.loadState(state);
  if (!record) return { kind: 'rejected', reason: INVALID };
  if (deps.now() >= record.expiresAt) return { kind: 'rejected', reason: EXPIRED };
  if (!(await deps.records.claim(state, deps.recordTtlMs))) {
    return { kind: 'duplicate', mode: record.mode, outcome: await deps.records.peekOutcome(state) };
  }
  // No code: older WeChat revisions redirect a refusal with the state only (today a refusal does
  // not redirect at all).
  const outcome = input.code ? await decide(deps, record, input.code, input) : denied(CANCELLED);
  await deps.records.saveOutcome(state, outcome, deps.outcomeTtlMs);
  return { kind: 'handled', mode: record.mode, outcome };
}

async function decide<U extends AbstractUser>(deps: QrCallbackDeps<U>, record: QrStateRecord, code: string, input: QrCallbackInput): Promise<QrOutcome> {
  const { auth, backend } = deps;
  const request: AuthRequest = {};
  if (input.ip) request.ip = input.ip;
  if (input.header) request.header = input.header;
  let bindUser: U | null = null;
  if (record.mode === 'bind') {
    bindUser = record.userId === null ? null : await backend.getUser(auth, record.userId);
    if (!bindUser) return denied(BIND_USER_GONE);
    bindWechatLoginTo(request, bindUser);
  }
  try {
    const user = await auth.authenticate(request, { wechatCode: code, appid: record.appid });
    if (!user) return denied(wechatRefusalOf(request) ?? LOGIN_REFUSED);
    if (bindUser && user.id !== bindUser.id) return denied(ALREADY_BOUND);
    return { status: 'confirmed', userId: user.id, profileId: wechatProfileIdOf(request) ?? null };
  } catch (error) {
    return failed(error, deps.report);
  }
}
