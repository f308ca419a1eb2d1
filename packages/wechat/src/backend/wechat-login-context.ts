/**
 * What WechatBackend learned while authenticating a request, kept beside the request object.
 *
 * core's `authenticate()` turns a refusal into `null` (a backend's PermissionDenied too), which
 * is right for the backend chain but leaves a login flow unable to tell the user *why*, and it
 * returns only the user, not which WeChat profile matched. The backend notes both here, keyed
 * by the AuthRequest it was given (pass a request object, not null, to read them back).
 * Reasons are fixed texts: never a code, token or WeChat errmsg.
 */
import type { AbstractUser, AuthRequest } from '@koa-auth/core';

export type WechatRefusalCode = 'snapshot_user' | 'inactive_user' | 'unknown_app' | 'unknown_identity';

export interface WechatRefusal {
  code: WechatRefusalCode;
  message: string;
}

export const REFUSALS: Readonly<Record<WechatRefusalCode, WechatRefusal>> = {
  snapshot_user: {
    code: 'snapshot_user',
    message: 'WeChat opened this page in snapshot (preview) mode, which does not identify you. Open the page in WeChat and allow the authorization.',
  },
  inactive_user: { code: 'inactive_user', message: 'This account is disabled.' },
  unknown_app: { code: 'unknown_app', message: 'This WeChat app is not configured on this site.' },
  unknown_identity: { code: 'unknown_identity', message: 'This WeChat account is not linked to an account here yet.' },
};

interface LoginNote {
  refusal?: WechatRefusal;
  profileId?: number;
  /** Set by an explicit bind flow: the user a new identity is linked to. */
  bindTo?: AbstractUser;
  /** Set by a flow that must not sign anybody up (e.g. a silent `snsapi_base` login). */
  existingOnly?: boolean;
}

const notes = new WeakMap<AuthRequest, LoginNote>();

function note(request: AuthRequest | null, patch: LoginNote): void {
  if (request) notes.set(request, { ...notes.get(request), ...patch });
}

/** Record why the login of `request` was refused. */
export function recordRefusal(request: AuthRequest | null, code: WechatRefusalCode): void {
  note(request, { refusal: REFUSALS[code] });
}

/** Record which profile the login of `request` resolved to. */
export function recordProfile(request: AuthRequest | null, profileId: number): void {
  note(request, { profileId });
}

/** Why WechatBackend refused to authenticate `request`, if it did. */
export function wechatRefusalOf(request: AuthRequest): WechatRefusal | undefined {
  return notes.get(request)?.refusal;
}

/** The id of the WeChat profile the login of `request` matched or created, if any. */
export function wechatProfileIdOf(request: AuthRequest): number | undefined {
  return notes.get(request)?.profileId;
}

/**
 * Mark the login of `request` as an explicit binding to `user`: WechatBackend links a WeChat
 * identity nobody owns yet to `user` instead of creating a user. Only bind flows call this; a
 * plain login never links to whoever happens to be logged in.
 */
export function bindWechatLoginTo(request: AuthRequest, user: AbstractUser): void {
  note(request, { bindTo: user });
}

/** Mark the login of `request` as existing users only: an unknown identity is refused (`unknown_identity`). */
export function wechatLoginExistingOnly(request: AuthRequest): void {
  note(request, { existingOnly: true });
}

/** The binding target and sign-up policy the flow set for `request` (see above). */
export function wechatLoginIntent(request: AuthRequest | null): { bindTo: AbstractUser | null; existingOnly: boolean } {
  const current = request ? notes.get(request) : undefined;
  return { bindTo: current?.bindTo ?? null, existingOnly: current?.existingOnly === true };
}
