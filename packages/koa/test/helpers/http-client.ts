/**
 * A minimal browser stand-in for tests: keeps cookies like a browser would (per name), sends
 * the Origin header of the site, and speaks tRPC's HTTP protocol (no transformer).
 */
export class TestClient {
  readonly cookies = new Map<string, string>();
  headers: Record<string, string> = {};

  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    if (!headers.has('origin') && init.method && init.method !== 'GET') headers.set('origin', this.baseUrl);
    for (const [k, v] of Object.entries(this.headers)) if (!headers.has(k)) headers.set(k, v);
    const response = await fetch(this.baseUrl + path, { redirect: 'manual', ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = value === '' || attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** A tRPC mutation; resolves to `{ status, data?, error? }`. */
  async mutation(path: string, input?: unknown, init: RequestInit = {}): Promise<TrpcResult> {
    const response = await this.fetch(`/trpc/${path}`, {
      method: 'POST',
      ...init,
      headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
      body: input === undefined ? undefined : JSON.stringify(input),
    });
    return toResult(response);
  }

  /** A tRPC query. */
  async query(path: string, input?: unknown, init: RequestInit = {}): Promise<TrpcResult> {
    const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return toResult(await this.fetch(`/trpc/${path}${qs}`, init));
  }

  sessionId(): string | undefined {
    return this.cookies.get('sessionid');
  }
}

export interface TrpcResult {
  status: number;
  headers: Headers;
  data?: any;
  error?: { message: string; code: number; data: { code: string; httpStatus: number; fieldErrors?: Record<string, { code: string; message: string }[]>; retryAfter?: number } };
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
