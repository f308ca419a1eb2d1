/**
 * One call to the WeChat API (a GET, or a POST with a JSON body): timeout, UTF-8 decoding whatever the Content-Type says, errcode
 * detection, and back-off retries on errcode -1 only. Every failure is a WechatApiError whose
 * text names the endpoint path but never the query (which holds the secret, code or tokens).
 */
import { WechatApiError } from '../errors.js';
import { encodeQuery } from './urls.js';

/** The `fetch` signature the client needs; the global `fetch` satisfies it. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ApiRequest {
  fetch: FetchLike;
  baseUrl: string;
  /** e.g. `/sns/userinfo`. */
  path: string;
  /** Query parameters, sent in this order. */
  params: ReadonlyArray<readonly [string, string]>;
  /** A JSON body: the request is then a POST (the Mini Program's `stable_token`, `getuserphonenumber`). */
  json?: Readonly<Record<string, unknown>>;
  /** Per attempt. */
  timeoutMs: number;
  /** Extra attempts after an errcode -1 answer; 0 disables retrying. */
  retries: number;
  /** Delay before retry n (0-based) is `retryDelayMs * 2 ** n`. */
  retryDelayMs: number;
  /** Values to scrub from anything that ends up in an error. */
  sensitive: readonly string[];
}

/** Errcode WeChat uses for "system busy, try again later"; the only one worth retrying. */
export const SYSTEM_BUSY = -1;

/** Performs the request and returns the decoded JSON object of a successful answer. */
export async function callApi(request: ApiRequest): Promise<Record<string, unknown>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptOnce(request);
    } catch (error) {
      const busy = error instanceof WechatApiError && error.errcode === SYSTEM_BUSY;
      if (!busy || attempt >= request.retries) throw error;
      await sleep(request.retryDelayMs * 2 ** attempt);
    }
  }
}

async function attemptOnce(request: ApiRequest): Promise<Record<string, unknown>> {
  const { path, sensitive } = request;
  const url = buildUrl(request.baseUrl, path, request.params);
  const fail = (init: Omit<ConstructorParameters<typeof WechatApiError>[0], 'endpoint' | 'sensitive'>) =>
    new WechatApiError({ ...init, endpoint: path, sensitive });

  let response: Response;
  let bytes: ArrayBuffer;
  try {
    // The timeout signal also bounds reading the body, so a stalled stream times out too.
    response = await request.fetch(url, {
      ...(request.json
        ? { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(request.json) }
        : { method: 'GET', headers: { accept: 'application/json' } }),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    bytes = await response.arrayBuffer();
  } catch (error) {
    if (isTimeout(error)) {
      throw fail({ code: 'wechat_timeout', errmsg: `no answer within ${request.timeoutMs} ms`, cause: error });
    }
    throw fail({ code: 'wechat_network_error', errmsg: 'request failed', cause: error });
  }

  // WeChat labels JSON as text/plain or with a non-standard `encoding=` parameter; the bytes
  // are UTF-8 regardless, so decode them explicitly instead of trusting the header.
  const text = new TextDecoder('utf-8').decode(bytes);
  const contentType = response.headers.get('content-type') ?? 'no content-type';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // The body is deliberately not quoted: a truncated token answer would leak its tokens.
    throw fail({
      code: 'wechat_invalid_response',
      errmsg: `answered HTTP ${response.status} with a body that is not valid JSON (${contentType}, ${bytes.byteLength} bytes)`,
    });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw fail({ code: 'wechat_invalid_response', errmsg: `answered HTTP ${response.status} with JSON that is not an object` });
  }
  const record = body as Record<string, unknown>;
  // Success of /sns/auth carries errcode 0 too: test the value, not the key's presence.
  if (typeof record.errcode === 'number' && record.errcode !== 0) {
    const errmsg = typeof record.errmsg === 'string' ? record.errmsg : '';
    throw fail({ errcode: record.errcode, errmsg });
  }
  if (!response.ok) {
    throw fail({ code: 'wechat_invalid_response', errmsg: `answered HTTP ${response.status} without an errcode` });
  }
  return record;
}

function buildUrl(baseUrl: string, path: string, params: ApiRequest['params']): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}?${encodeQuery(params)}`;
}

/** By name, not `instanceof`: the DOMException may come from another realm (vm, jest). */
function isTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TimeoutError';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
