/**
 * Errors of the WeChat API client.
 *
 * Standalone for now (extends `Error`); it will be rebased onto `AuthError` from @koa-auth/core,
 * whose contract it already follows: a stable machine-readable `code`, a human `message`, and
 * never a secret, code or token anywhere on the object (message, errmsg, cause, stack).
 */

/**
 * What went wrong, for programs:
 * - `wechat_api_error`: WeChat answered with `errcode` ≠ 0 (see `errcode`/`errmsg`).
 * - `wechat_timeout`: no complete answer within `timeoutMs`; the request may or may not have
 *   been processed (a code sent in it must be considered spent).
 * - `wechat_network_error`: the request failed below HTTP (DNS, refused connection, reset).
 * - `wechat_invalid_response`: an answer arrived but was not the expected JSON (malformed body,
 *   unexpected HTTP status, or fields failing validation).
 */
export type WechatErrorCode = 'wechat_api_error' | 'wechat_timeout' | 'wechat_network_error' | 'wechat_invalid_response';

export interface WechatApiErrorInit {
  code?: WechatErrorCode;
  /** WeChat's errcode; `null` when WeChat did not answer with one (timeouts, network, bad body). */
  errcode?: number | null;
  /** WeChat's errmsg, or a description for non-API failures. */
  errmsg: string;
  /** API path that failed, e.g. `/sns/oauth2/access_token` (never a query string). */
  endpoint?: string;
  /** Underlying error; only its name, message (redacted) and `code` are kept, never the object. */
  cause?: unknown;
  /** Values (secret, code, tokens) removed from `errmsg` and `cause` wherever they appear. */
  sensitive?: readonly string[];
}

/** `text` with every occurrence of each sensitive value (of 4 characters or more) replaced by `[redacted]`. */
export function redact(text: string, sensitive: readonly string[]): string {
  let out = text;
  for (const value of sensitive) {
    // Very short values would redact ordinary words; real secrets, codes and tokens are long.
    if (value.length >= 4) out = out.split(value).join('[redacted]');
  }
  return out;
}

/**
 * A failed call to the WeChat API. `errcode`/`errmsg` are WeChat's own when `code` is
 * `wechat_api_error`; match on `errcode` only, as `errmsg` carries a request id suffix.
 */
export class WechatApiError extends Error {
  readonly code: WechatErrorCode;
  readonly errcode: number | null;
  readonly errmsg: string;
  readonly endpoint: string | undefined;

  constructor(init: WechatApiErrorInit) {
    const sensitive = init.sensitive ?? [];
    const errmsg = redact(init.errmsg, sensitive);
    const where = init.endpoint ? `WeChat ${init.endpoint}` : 'WeChat API';
    const message = init.errcode === undefined || init.errcode === null ? `${where}: ${errmsg}` : `${where} failed with errcode ${init.errcode}: ${errmsg}`;
    const cause = init.cause === undefined ? undefined : sanitizeCause(init.cause, sensitive);
    super(message, cause ? { cause } : undefined);
    this.name = 'WechatApiError';
    this.code = init.code ?? 'wechat_api_error';
    this.errcode = init.errcode ?? null;
    this.errmsg = errmsg;
    this.endpoint = init.endpoint;
  }
}

/**
 * A detached copy of an underlying error: name, redacted message and the low-level `code`
 * (e.g. ECONNREFUSED, taken from a nested cause if needed). The original object is dropped
 * because its properties or nested causes could hold a request URL with the secret.
 */
function sanitizeCause(cause: unknown, sensitive: readonly string[]): Error {
  const source = describe(cause);
  const nested = source.cause === undefined ? undefined : describe(source.cause);
  const lowLevel = source.code ?? nested?.code;
  const text = nested ? `${source.message} (${nested.message})` : source.message;
  const copy = new Error(redact(text, sensitive));
  copy.name = source.name;
  if (lowLevel) Object.assign(copy, { code: lowLevel });
  // The copy's stack would point here, not at the failure; keep just the header line.
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

interface ErrorLike {
  name: string;
  message: string;
  code: string | undefined;
  cause: unknown;
}

/** Reads an error by duck typing: errors from another realm (vm, jest) fail `instanceof Error`. */
function describe(value: unknown): ErrorLike {
  if (typeof value !== 'object' || value === null) {
    return { name: 'Error', message: String(value), code: undefined, cause: undefined };
  }
  const record = value as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
  return {
    name: typeof record.name === 'string' ? record.name : 'Error',
    message: typeof record.message === 'string' ? record.message : String(value),
    code: typeof record.code === 'string' ? record.code : undefined,
    cause: record.cause,
  };
}

/**
 * WeChat errcodes meaning the code in a callback URL is bad: unknown (40029), used (40163),
 * missing (41008) or expired (42003).
 */
const SPENT_CODE_ERRCODES = new Set([40029, 40163, 41008, 42003]);

/**
 * True when `error` says the authorization code was unusable (expired, used, forged): the
 * login link expired and the person must start again — a client error, not a WeChat outage.
 */
export function isSpentCodeError(error: unknown): boolean {
  return error instanceof WechatApiError && error.errcode !== null && SPENT_CODE_ERRCODES.has(error.errcode);
}
