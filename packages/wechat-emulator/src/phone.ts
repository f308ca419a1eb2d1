/**
 * The emulated phone: what a WeChat user does with a QR code or consent dialog (scan, confirm,
 * deny), plus minting codes directly. Shared by the consent page's buttons, by
 * `POST /__emulator/confirm` and by the JS API, so all three behave identically.
 */
import { buildAuthorization } from './authorization.js';
import { parseAuthorizeRequest, SCOPES, type PageError } from './authorize-request.js';
import { callbackUrl, performCallbacks, type CallbackOutcome } from './callback.js';
import type { AppKind } from './config.js';
import type { EmulatorContext } from './context.js';
import type { LoginSession, SessionStatus } from './login-sessions.js';
import type { MiniProgramCodeKind } from './mini-program-state.js';

export type PhoneAction = 'scan' | 'confirm' | 'deny';

export interface PhoneActionInput {
  /** Session to act on: the `x-emulator-ticket` header of the authorize page (= its `uuid`). */
  ticket?: string;
  /** Without `ticket`: open the authorize link for this app first (validated like the page). */
  appid?: string;
  redirect_uri?: string;
  state?: string;
  /** Default `snsapi_login` (website apps) or `snsapi_userinfo` (Official Accounts). */
  scope?: string;
  /** Key of the test user acting. */
  user: string;
  /** Default `confirm`. */
  action?: PhoneAction;
  /** Also request the callback URL(s) from the emulator, as the browser would. */
  perform?: boolean;
  /** Headers for those requests, e.g. `{ cookie }` of the browser session that started the login. */
  callbackHeaders?: Record<string, string>;
}

export interface PhoneActionResult {
  ticket: string;
  status: SessionStatus;
  user: string;
  /** Where the browser is sent: the first of `redirectUrls`, or `null` when nothing happens. */
  redirectUrl: string | null;
  /** One URL normally, two with `duplicateCallbacks`, none on deny (unless `refusal: state_only`). */
  redirectUrls: string[];
  /** Codes issued, in the order of `redirectUrls`. */
  codes: string[];
  /** Results of requesting the callbacks, when `perform` was set. */
  callbacks?: CallbackOutcome[];
}

/** A phone action that cannot happen; `status` is the HTTP status the control API answers with. */
export class PhoneActionError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    message: string,
  ) {
    super(message);
    this.name = 'PhoneActionError';
  }
}

const DEFAULT_SCOPE: Record<AppKind, string> = { website: 'snsapi_login', oa: 'snsapi_userinfo', miniprogram: '' };

export async function phoneAction(context: EmulatorContext, input: PhoneActionInput): Promise<PhoneActionResult> {
  if (!context.users.has(input.user)) throw new PhoneActionError(400, 'unknown_user', `no test user "${input.user}"`);
  const session = resolveSession(context, input);
  const status = context.sessions.status(session);
  if (status === 'expired') throw new PhoneActionError(410, 'session_expired', 'the QR code / consent page has expired');
  if (status === 'confirmed' || status === 'cancelled') {
    throw new PhoneActionError(409, 'session_finished', `the session is already ${status}`);
  }

  const { request } = session;
  const action = input.action ?? 'confirm';
  session.userKey = input.user;
  let codes: string[] = [];
  let redirectUrls: string[] = [];
  if (action === 'scan') {
    session.stored = 'scanned';
  } else if (action === 'deny') {
    session.stored = 'cancelled';
    if (context.knobs.get().refusal === 'state_only') redirectUrls = [callbackUrl(request.redirectUri, { state: request.state })];
  } else {
    session.stored = 'confirmed';
    const authorization = buildAuthorization(context, { app: request.app, userKey: input.user, scope: request.scope });
    // §2: duplicate callbacks carry the same state with different codes.
    const count = context.knobs.get().duplicateCallbacks ? 2 : 1;
    codes = Array.from({ length: count }, () => context.grants.issueCode(authorization, request.app.codeTtlSeconds));
    session.code = codes[0];
    redirectUrls = codes.map((code) => callbackUrl(request.redirectUri, { code, state: request.state }));
  }

  const result: PhoneActionResult = {
    ticket: session.ticket,
    status: context.sessions.status(session),
    user: input.user,
    redirectUrl: redirectUrls[0] ?? null,
    redirectUrls,
    codes,
  };
  if (input.perform && redirectUrls.length > 0) {
    result.callbacks = await performCallbacks(context.fetch, redirectUrls, input.callbackHeaders);
  }
  return result;
}

function resolveSession(context: EmulatorContext, input: PhoneActionInput): LoginSession {
  if (input.ticket) {
    const session = context.sessions.get(input.ticket);
    if (!session) throw new PhoneActionError(404, 'unknown_ticket', 'no login session with this ticket');
    return session;
  }
  if (!input.appid) throw new PhoneActionError(400, 'ticket_or_appid_required', 'give a ticket, or appid and redirect_uri');
  const app = context.apps.get(input.appid);
  if (!app) throw pageErrorToPhoneError({ slug: 'invalid_appid', message: 'appid is not registered' });
  // Same validation as opening the link, with parameters in WeChat's canonical order.
  const params = new URLSearchParams();
  params.set('appid', input.appid);
  if (input.redirect_uri !== undefined) params.set('redirect_uri', input.redirect_uri);
  params.set('response_type', 'code');
  params.set('scope', input.scope ?? DEFAULT_SCOPE[app.kind]);
  if (input.state !== undefined) params.set('state', input.state);
  const parsed = parseAuthorizeRequest(app.kind === 'website' ? 'qrconnect' : 'oauth2', params, context);
  if (!parsed.ok) throw pageErrorToPhoneError(parsed.error);
  return context.sessions.create(parsed.request);
}

function pageErrorToPhoneError(error: PageError): PhoneActionError {
  return new PhoneActionError(400, error.slug, error.message);
}

/**
 * What a minted code stands for: `oauth` (default) an approval on the QR/consent page, for
 * `/sns/oauth2/access_token`; `miniprogram-login` what `wx.login()` returns in a Mini Program,
 * for `/sns/jscode2session`; `phone-number` what the Mini Program's `getPhoneNumber` button
 * returns, for `/wxa/business/getuserphonenumber`.
 */
export type CodeKind = 'oauth' | MiniProgramCodeKind;

export interface IssueCodeInput {
  appid: string;
  /** Key of the test user. */
  user: string;
  /** Default `oauth`; the Mini Program kinds need an app of kind `miniprogram`. */
  kind?: CodeKind;
  /** `oauth` only. Default `snsapi_login` (website apps) or `snsapi_userinfo` (Official Accounts). */
  scope?: string;
  /** `oauth` only. Force snapshot mode; default per the `snapshotUsers` knob. */
  snapshot?: boolean;
}

/** Mints a code as if `user` had approved `appid` (or called wx.login / tapped getPhoneNumber), skipping the pages. */
export function issueCode(context: EmulatorContext, input: IssueCodeInput): string {
  const app = context.apps.get(input.appid);
  if (!app) throw new PhoneActionError(400, 'invalid_appid', `unknown appid ${input.appid}`);
  const user = context.users.get(input.user);
  if (!user) throw new PhoneActionError(400, 'unknown_user', `no test user "${input.user}"`);
  const kind = input.kind ?? 'oauth';
  if (kind !== 'oauth') {
    if (app.kind !== 'miniprogram')
      throw new PhoneActionError(400, 'wrong_app_kind', `${kind} codes are for Mini Program apps; ${input.appid} is a ${app.kind} app`);
    if (kind === 'phone-number' && !user.phone) throw new PhoneActionError(400, 'no_phone', `test user "${input.user}" has no phone number`);
    return context.miniProgram.issueCode(kind, app.appid, user.key, app.codeTtlSeconds);
  }
  if (app.kind === 'miniprogram')
    throw new PhoneActionError(400, 'wrong_app_kind', `${input.appid} is a Mini Program: mint kind 'miniprogram-login' or 'phone-number'`);
  const scope = input.scope ?? DEFAULT_SCOPE[app.kind];
  if (scope.split(',').some((s) => !SCOPES[app.kind].includes(s))) {
    throw new PhoneActionError(400, 'scope_invalid', `scope ${scope} is not valid for a ${app.kind} app`);
  }
  const authorization = buildAuthorization(context, {
    app,
    userKey: input.user,
    scope,
    ...(input.snapshot === undefined ? {} : { snapshot: input.snapshot }),
  });
  return context.grants.issueCode(authorization, app.codeTtlSeconds);
}
