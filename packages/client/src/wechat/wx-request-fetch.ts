/**
 * A fetch for WeChat Mini Programs, which have no `fetch`, `window`, cookies or `localStorage`:
 * `wxRequestFetch(wx.request)` turns the Mini Program's `wx.request` into the fetch the client
 * takes (`createAuthClient({ mode: 'bearer', url, fetch: wxRequestFetch(wx.request) })`).
 *
 * It covers what the client uses: method, headers, a string body, the status, the response
 * headers and a JSON or text body (answers are read as text and parsed by `json()`), and abort
 * through `signal` (`RequestTask.abort`). Streaming bodies are not available in Mini Programs, so
 * subscriptions (server-sent events) are not supported over it.
 */

/** The options of `wx.request` this adapter uses. */
export interface WxRequestOptions {
  url: string;
  method: string;
  header: Record<string, string>;
  data?: string;
  /** `text`: the answer's body arrives as a string. */
  dataType: 'text' | 'json' | string;
  responseType: 'text' | string;
  success(result: { statusCode: number; header: Record<string, string>; data: unknown }): void;
  fail(error: { errMsg: string }): void;
}

/** `wx.request` (or a compatible function, e.g. Taro's or uni-app's request). */
export type WxRequest = (options: WxRequestOptions) => { abort?(): void } | void;

/** The parts of a fetch Response the client reads. */
interface WxResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null; has(name: string): boolean; forEach(fn: (value: string, key: string) => void): void };
  readonly body: null;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** The RequestInit fields the adapter reads. */
interface WxFetchInit {
  method?: string;
  headers?: Record<string, string> | Array<[string, string]> | { forEach(fn: (value: string, key: string) => void): void };
  body?: unknown;
  signal?: { aborted: boolean; addEventListener(type: 'abort', fn: () => void): void } | null;
}

/**
 * A fetch-compatible function over `request` (the Mini Program's `wx.request`); see the module
 * comment. Network failures reject with a TypeError, as fetch does; an aborted call rejects with
 * an error named `AbortError`. Typed as `fetch` so it goes straight into `createAuthClient`.
 */
export function wxRequestFetch(request: WxRequest): typeof fetch {
  const adapted = (input: string | { toString(): string }, init: WxFetchInit = {}): Promise<WxResponse> =>
    new Promise<WxResponse>((resolve, reject) => {
      const signal = init.signal ?? null;
      if (signal?.aborted) return reject(abortError());
      if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') {
        return reject(new TypeError('wxRequestFetch: only string bodies are supported.'));
      }
      const url = String(input);
      const task = request({
        url,
        method: (init.method ?? 'GET').toUpperCase(),
        header: headersOf(init.headers),
        ...(typeof init.body === 'string' ? { data: init.body } : {}),
        dataType: 'text',
        responseType: 'text',
        success: (result) => resolve(toResponse(url, result)),
        fail: (error) => reject(signal?.aborted ? abortError() : new TypeError(`wx.request failed: ${error.errMsg}`)),
      });
      signal?.addEventListener('abort', () => {
        task?.abort?.();
        reject(abortError());
      });
    });
  // The Response subset above is what the client reads (see the module comment).
  return adapted as unknown as typeof fetch;
}

function headersOf(headers: WxFetchInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (Array.isArray(headers)) for (const [key, value] of headers) out[key.toLowerCase()] = value;
  else if (typeof (headers as { forEach?: unknown }).forEach === 'function')
    (headers as { forEach(fn: (v: string, k: string) => void): void }).forEach((value, key) => {
      out[key.toLowerCase()] = value;
    });
  else for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value;
  return out;
}

function toResponse(url: string, result: { statusCode: number; header: Record<string, string>; data: unknown }): WxResponse {
  const text = typeof result.data === 'string' ? result.data : JSON.stringify(result.data ?? null);
  const header = new Map(Object.entries(result.header ?? {}).map(([key, value]) => [key.toLowerCase(), String(value)]));
  return {
    ok: result.statusCode >= 200 && result.statusCode < 300,
    status: result.statusCode,
    statusText: '',
    url,
    headers: {
      get: (name) => header.get(name.toLowerCase()) ?? null,
      has: (name) => header.has(name.toLowerCase()),
      forEach: (fn) => {
        header.forEach((value, key) => {
          fn(value, key);
        });
      },
    },
    body: null,
    text: () => Promise.resolve(text),
    json: () => Promise.resolve(JSON.parse(text) as unknown),
  };
}

function abortError(): Error {
  const error = new Error('The request was aborted.');
  error.name = 'AbortError';
  return error;
}
