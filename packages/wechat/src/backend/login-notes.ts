/**
 * What WechatBackend learned while authenticating a request, kept beside the request object.
 *
 * core's `authenticate()` turns a refusal into `null` (a backend's PermissionDenied too), which
 * is right for the backend chain but leaves a login flow unable to tell the user *why*, and it
 * returns only the user, not which WeChat profile matched. The backend notes both here, keyed
 * by the AuthRequest it was given (pass a request object, not null, to read them back).
 * Reasons are fixed texts: never a code, token or WeChat errmsg.
 */
import type { AuthRequest } from '@koa-auth/core';

export type WechatRefusalCode = 'snapshot_user' | 'inactive_user' | 'unknown_app';

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
};

interface LoginNote {
  refusal?: WechatRefusal;
  profileId?: number;
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
