/**
 * A fetch that keeps cookies like a browser talking to one site (by name, no domain or path
 * rules), for cookie mode in Node. Test-only: the client itself never handles cookies.
 */
export interface CookieJarFetch {
  fetch: typeof fetch;
  cookies: Map<string, string>;
}

export function cookieJarFetch(base: typeof fetch = globalThis.fetch): CookieJarFetch {
  const cookies = new Map<string, string>();
  const jarFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await base(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = value === '' || attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a) || /max-age=0\b/i.test(a.trim()));
      if (expired) cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };
  return { fetch: jarFetch as typeof fetch, cookies };
}
