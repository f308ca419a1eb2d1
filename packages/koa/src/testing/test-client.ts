/**
 * A minimal browser stand-in for testing an app over HTTP: keeps cookies the way a browser
 * does for one site (by name), sends the site's Origin on unsafe methods, and speaks tRPC's
 * HTTP protocol (no transformer). Redirects are not followed.
 */
export class TestClient {
  /** The cookie jar: name → value. */
  readonly cookies = new Map<string, string>();
  /** Headers sent with every request (unless the request sets them). */
  headers: Record<string, string> = {};

  constructor(readonly baseUrl: string) {}

  /** The Cookie header the jar sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** fetch(`baseUrl + path`) with the jar's cookies; stores (or deletes) the cookies answered. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    if (!headers.has('origin') && init.method && init.method !== 'GET') headers.set('origin', this.baseUrl);
    for (const [name, value] of Object.entries(this.headers)) if (!headers.has(name)) headers.set(name, value);
    const response = await fetch(this.baseUrl + path, { redirect: 'manual', ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = value === '' || attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** A tRPC mutation (POST `/trpc/<path>`); resolves to `{ status, headers, data?, error? }`. */
  async mutation(path: string, input?: unknown, init: RequestInit = {}): Promise<TrpcResult> {
    const response = await this.fetch(`/trpc/${path}`, {
      method: 'POST',
      ...init,
      headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
      body: input === undefined ? undefined : JSON.stringify(input),
    });
    return toResult(response);
  }

  /** A tRPC query (GET `/trpc/<path>?input=…`). */
  async query(path: string, input?: unknown, init: RequestInit = {}): Promise<TrpcResult> {
    const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return toResult(await this.fetch(`/trpc/${path}${qs}`, init));
  }

  /** The session cookie's value (cookie `sessionid`), if any. */
  sessionId(): string | undefined {
    return this.cookies.get('sessionid');
  }
}

/** A tRPC answer as TestClient reads it; a body that is not JSON becomes an error `NOT_JSON`. */
export interface TrpcResult {
  status: number;
  headers: Headers;
  data?: any;
  error?: {
    message: string;
    code: number;
    data: { code: string; httpStatus: number; fieldErrors?: Record<string, { code: string; message: string }[]>; retryAfter?: number };
  };
}

async function toResult(response: Response): Promise<TrpcResult> {
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = { error: { message: text, code: -1, data: { code: 'NOT_JSON', httpStatus: response.status } } };
  }
  return { status: response.status, headers: response.headers, data: body?.result?.data, error: body?.error };
}
