import { request } from 'node:http';
import { ImproperlyConfigured } from '@koa-auth/core';
import Koa, { type Context } from 'koa';
import session from 'koa-session';
import { csrfProtection, type CsrfProtectionOptions } from '../../src/csrf/csrf-protection.js';
import { csrfSecret, ensureCsrfToken, rotateCsrfToken } from '../../src/csrf/csrf-token.js';
import { authErrorHandler } from '../../src/guards/error-handler.js';
import { serve, type Served } from '../support/serve.js';

/** A browser's cookie jar for one origin, enough for these tests. */
class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly server: Served) {}

  async request(method: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await this.server.fetch(path, { method, headers: { ...(cookie ? { cookie } : {}), ...headers } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** A fresh token from GET /csrf (the session cookie comes along). */
  async token(): Promise<string> {
    const response = await this.request('GET', '/csrf');
    return ((await response.json()) as { token: string }).token;
  }
}

function buildApp(options: CsrfProtectionOptions = {}, configure?: (app: Koa) => void): Koa {
  const app = new Koa();
  app.keys = ['csrf-test-key-csrf-test-key-0123456789'];
  configure?.(app);
  app.use(authErrorHandler());
  app.use(session({ signed: true }, app));
  app.use(csrfProtection({ trustedOrigins: ['https://admin.example.com', 'https://*.trusted.test'], ...options }));
  app.use(async (ctx: Context) => {
    if (ctx.path === '/csrf') {
      ctx.body = { token: ensureCsrfToken(ctx) };
    } else if (ctx.path === '/login') {
      ctx.body = { token: rotateCsrfToken(ctx) };
    } else {
      ctx.body = { ok: true, method: ctx.method };
    }
  });
  return app;
}

async function expectRefused(response: Response, reason?: RegExp): Promise<void> {
  expect(response.status).toBe(403);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('csrf_failed');
  if (reason) expect(body.error.message).toMatch(reason);
}

let server: Served;
let browser: Browser;

beforeAll(async () => {
  server = await serve(buildApp({ exempt: (ctx) => ctx.path === '/webhook' }));
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  browser = new Browser(server);
  await browser.token(); // a session with a CSRF secret, like a logged-in browser's
});

describe('safe methods', () => {
  it.each(['GET', 'HEAD', 'OPTIONS'])('never checks %s', async (method) => {
    const variants: Record<string, string>[] = [{ origin: 'https://evil.com' }, { 'sec-fetch-site': 'cross-site' }, {}];
    for (const headers of variants) {
      expect((await browser.request(method, '/action', headers)).status).toBe(200);
    }
  });

  it('never checks TRACE', async () => {
    // fetch() refuses to send TRACE, so this one goes through node:http.
    const { hostname, port } = new URL(server.url);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ hostname, port, method: 'TRACE', path: '/action', headers: { origin: 'https://evil.com' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
  });
});

describe('Fetch Metadata and Origin', () => {
  it('refuses a cross-site POST that carries the session cookie', async () => {
    await expectRefused(await browser.request('POST', '/action', { origin: 'https://evil.com' }), /Origin/);
    await expectRefused(await browser.request('POST', '/action', { 'sec-fetch-site': 'cross-site' }), /another site/);
    await expectRefused(await browser.request('POST', '/action', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.com' }));
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      await expectRefused(await browser.request(method, '/action', { origin: 'https://evil.com' }));
    }
  });

  it('refuses same-site (sibling subdomain) requests', async () => {
    await expectRefused(await browser.request('POST', '/action', { 'sec-fetch-site': 'same-site', origin: 'https://other.example.com' }));
  });

  it('lets Sec-Fetch-Site decide even when a valid token is sent', async () => {
    const token = await browser.token();
    await expectRefused(await browser.request('POST', '/action', { 'sec-fetch-site': 'cross-site', 'x-csrf-token': token }));
    await expectRefused(await browser.request('POST', '/action', { origin: 'https://evil.com', 'x-csrf-token': token }));
  });

  it('refuses the opaque origin "null" and malformed origins', async () => {
    for (const origin of ['null', 'https://evil.com/path', `${server.url}/x`, 'not a url', `${server.url}@evil.com`]) {
      await expectRefused(await browser.request('POST', '/action', { origin }));
    }
  });

  it('accepts same-origin requests', async () => {
    expect((await browser.request('POST', '/action', { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await browser.request('POST', '/action', { 'sec-fetch-site': 'same-origin', origin: server.url })).status).toBe(200);
    expect((await browser.request('POST', '/action', { origin: server.url })).status).toBe(200);
    expect((await browser.request('POST', '/action', { origin: server.url.toUpperCase().replace('HTTP', 'http') })).status).toBe(200);
  });

  it('accepts user-initiated requests (Sec-Fetch-Site: none)', async () => {
    expect((await browser.request('POST', '/action', { 'sec-fetch-site': 'none' })).status).toBe(200);
  });

  it('accepts trusted origins, exact or by subdomain wildcard', async () => {
    for (const origin of ['https://admin.example.com', 'https://admin.example.com:443', 'https://a.trusted.test', 'https://a.b.trusted.test']) {
      expect([origin, (await browser.request('POST', '/action', { origin })).status]).toEqual([origin, 200]);
      expect([origin, (await browser.request('POST', '/action', { origin, 'sec-fetch-site': 'cross-site' })).status]).toEqual([origin, 200]);
    }
    for (const origin of [
      'http://admin.example.com',
      'https://admin.example.com:8443',
      'https://trusted.test',
      'https://eviltrusted.test',
      'https://trusted.test.evil.com',
    ]) {
      await expectRefused(await browser.request('POST', '/action', { origin }));
    }
  });

  it('rejects malformed trusted origins at startup', () => {
    for (const entry of [
      'admin.example.com',
      '*.example.com',
      'https://example.com/path',
      'https://*.',
      'https://*',
      'https://a*.example.com',
      'https://example.com?x',
      'null',
    ]) {
      expect(() => csrfProtection({ trustedOrigins: [entry] })).toThrow(ImproperlyConfigured);
    }
  });

  it('compares with the public origin behind a proxy when app.proxy is set', async () => {
    const headers = { origin: 'https://app.example.com', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com' };
    const proxied = await serve(buildApp({}, (app) => (app.proxy = true)));
    const direct = await serve(buildApp());
    try {
      expect((await proxied.fetch('/action', { method: 'POST', headers })).status).toBe(200);
      // Without app.proxy the forwarded headers are not believed.
      expect((await direct.fetch('/action', { method: 'POST', headers })).status).toBe(403);
    } finally {
      await proxied.close();
      await direct.close();
    }
  });
});

describe('token fallback (neither Sec-Fetch-Site nor Origin)', () => {
  it('refuses a request without a token', async () => {
    await expectRefused(await browser.request('POST', '/action'), /token missing/);
  });

  it('accepts the right token', async () => {
    const token = await browser.token();
    expect(token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect((await browser.request('POST', '/action', { 'x-csrf-token': token })).status).toBe(200);
  });

  it('refuses a wrong token', async () => {
    const token = await browser.token();
    const wrong = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
    await expectRefused(await browser.request('POST', '/action', { 'x-csrf-token': wrong }), /incorrect/);
    await expectRefused(await browser.request('POST', '/action', { 'x-csrf-token': `${token}x` }), /incorrect/);
  });

  it('refuses a token when the session has no secret', async () => {
    const stranger = new Browser(server);
    await expectRefused(await stranger.request('POST', '/action', { 'x-csrf-token': await browser.token() }), /missing/);
  });

  it('keeps the token stable across requests and exposes it in a readable cookie', async () => {
    const first = await browser.request('GET', '/csrf');
    const token = ((await first.json()) as { token: string }).token;
    expect(await browser.token()).toBe(token);
    expect(browser.cookie('csrftoken')).toBe(token);
    const line = first.headers.getSetCookie().find((c) => c.startsWith('csrftoken='));
    expect(line).toBeDefined();
    expect(line).toMatch(/samesite=lax/i);
    expect(line).toMatch(/path=\//i);
    expect(line).not.toMatch(/httponly/i);
  });

  it('rotates the token: the old one stops working', async () => {
    const old = await browser.token();
    const response = await browser.request('POST', '/login', { 'sec-fetch-site': 'same-origin' });
    const rotated = ((await response.json()) as { token: string }).token;
    expect(rotated).not.toBe(old);
    expect(browser.cookie('csrftoken')).toBe(rotated);
    await expectRefused(await browser.request('POST', '/action', { 'x-csrf-token': old }), /incorrect/);
    expect((await browser.request('POST', '/action', { 'x-csrf-token': rotated })).status).toBe(200);
  });

  it('honours custom header and cookie names', async () => {
    const custom = await serve(buildApp({ headerName: 'x-xsrf', cookieName: 'XSRF-TOKEN' }));
    try {
      const client = new Browser(custom);
      const token = await client.token();
      expect(client.cookie('XSRF-TOKEN')).toBe(token);
      expect(client.cookie('csrftoken')).toBeUndefined();
      expect((await client.request('POST', '/action', { 'x-xsrf': token })).status).toBe(200);
      await expectRefused(await client.request('POST', '/action', { 'x-csrf-token': token }));
    } finally {
      await custom.close();
    }
  });
});

describe('exemptions', () => {
  it('lets bearer-token requests through, even cross-site', async () => {
    const variants: Record<string, string>[] = [
      { authorization: 'Bearer abc.def' },
      { authorization: 'bearer abc', origin: 'https://evil.com' },
      { authorization: 'Bearer abc', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of variants) {
      expect((await browser.request('POST', '/action', headers)).status).toBe(200);
    }
  });

  it('does not exempt Basic auth or an empty Bearer (browsers can send those ambiently or by mistake)', async () => {
    await expectRefused(await browser.request('POST', '/action', { authorization: 'Basic YTpi', origin: 'https://evil.com' }));
    await expectRefused(await browser.request('POST', '/action', { authorization: 'Bearer ', origin: 'https://evil.com' }));
  });

  it('skips requests the exempt option picks', async () => {
    expect((await browser.request('POST', '/webhook', { origin: 'https://evil.com' })).status).toBe(200);
  });
});

describe('without the session middleware', () => {
  it('refuses token-only requests and refuses to create tokens', async () => {
    const app = new Koa();
    app.silent = true;
    app.use(authErrorHandler());
    app.use(csrfProtection());
    let created: unknown;
    app.use((ctx) => {
      expect(csrfSecret(ctx)).toBeNull();
      try {
        ensureCsrfToken(ctx);
      } catch (error) {
        created = error;
      }
      ctx.body = { ok: true };
    });
    const bare = await serve(app);
    try {
      await expectRefused(await bare.fetch('/action', { method: 'POST', headers: { 'x-csrf-token': 'x' } }), /missing/);
      expect((await bare.fetch('/action')).status).toBe(200);
      expect(created).toBeInstanceOf(ImproperlyConfigured);
    } finally {
      await bare.close();
    }
  });
});
