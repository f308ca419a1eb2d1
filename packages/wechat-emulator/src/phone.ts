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

const DEFAULT_SCOPE: Record<AppKind, string> = { website: 'snsapi_login', oa: 'snsapi_userinfo' };

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

export interface IssueCodeInput {
  appid: string;
  /** Key of the test user. */
  user: string;
  /** Default `snsapi_login` (website apps) or `snsapi_userinfo` (Official Accounts). */
  scope?: string;
  /** Force snapshot mode; default per the `snapshotUsers` knob. */
  snapshot?: boolean;
}

/** Mints a code as if `user` had approved `appid`, skipping the pages (for API-level tests). */
export function issueCode(context: EmulatorContext, input: IssueCodeInput): string {
  const app = context.apps.get(input.appid);
  if (!app) throw new PhoneActionError(400, 'invalid_appid', `unknown appid ${input.appid}`);
  if (!context.users.has(input.user)) throw new PhoneActionError(400, 'unknown_user', `no test user "${input.user}"`);
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
