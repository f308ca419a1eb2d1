import { request } from 'node:http';
import { ImproperlyConfigured } from '@koa-auth/core';
import Koa from 'koa';
import { allowedHosts, type AllowedHostsOptions } from '../../src/hosts/allowed-hosts.js';
import { authErrorHandler } from '../../src/guards/error-handler.js';
import { serve, type Served } from '../support/serve.js';

interface Answer {
  status: number;
  body: string;
}

/** A raw HTTP/1.1 request with exactly these headers (fetch cannot set Host). */
function send(served: Served, headers: Record<string, string>, path = '/'): Promise<Answer> {
  const { port } = new URL(served.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('allowedHosts', () => {
  const servers: Served[] = [];
  let reached: number;

  async function start(hosts: readonly string[], options: { proxy?: boolean; handler?: boolean; allowed?: AllowedHostsOptions } = {}): Promise<Served> {
    const app = new Koa();
    app.silent = true;
    app.proxy = options.proxy ?? false;
    if (options.handler !== false) app.use(authErrorHandler());
    app.use(allowedHosts(hosts, options.allowed));
    app.use((ctx) => {
      reached += 1;
      ctx.body = { host: ctx.host };
    });
    const served = await serve(app);
    servers.push(served);
    return served;
  }

  beforeEach(() => {
    reached = 0;
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('lets allowed hosts through on any port, case-insensitively, with a trailing dot', async () => {
    const served = await start(['example.com', 'localhost']);
    for (const host of ['example.com', 'Example.COM', 'example.com:8443', 'example.com.', 'localhost:3000', 'LOCALHOST']) {
      const answer = await send(served, { host });
      expect({ host, status: answer.status }).toEqual({ host, status: 200 });
    }
    expect(reached).toBe(6);
  });

  it('refuses other hosts with 400 DisallowedHost before any handler runs', async () => {
    const served = await start(['example.com']);
    for (const host of ['evil.example', 'www.example.com', 'example.com.evil.test', 'notexample.com', 'evil.example:80']) {
      const answer = await send(served, { host });
      expect({ host, status: answer.status }).toEqual({ host, status: 400 });
      expect(JSON.parse(answer.body)).toEqual({ error: { code: 'disallowed_host', message: 'Invalid Host header.' } });
      // The refused host is never echoed back.
      expect(answer.body).not.toContain('evil');
    }
    expect(reached).toBe(0);
  });

  it('refuses a missing Host and malformed ones (userinfo, spaces, junk)', async () => {
    const served = await start(['example.com']);
    const refused = [
      {},
      { host: '' },
      { host: 'evil.example@example.com' },
      { host: 'example.com@evil.example' },
      { host: 'example.com/x' },
      { host: 'exa mple.com' },
      { host: 'example.com:port' },
    ];
    for (const headers of refused) {
      const answer = await send(served, headers as Record<string, string>);
      expect({ headers, status: answer.status }).toEqual({ headers, status: 400 });
    }
    expect(reached).toBe(0);
  });

  it('matches a leading-dot entry against the domain and all its subdomains', async () => {
    const served = await start(['.example.com']);
    for (const host of ['example.com', 'www.example.com', 'a.b.example.com:81']) {
      expect((await send(served, { host })).status).toBe(200);
    }
    for (const host of ['badexample.com', 'example.com.evil.test', 'evil.example']) {
      expect((await send(served, { host })).status).toBe(400);
    }
  });

  it('matches bracketed IPv6 literals with or without a port', async () => {
    const served = await start(['[::1]', '127.0.0.1']);
    for (const host of ['[::1]', '[::1]:3000', '127.0.0.1:9']) {
      expect((await send(served, { host })).status).toBe(200);
    }
    for (const host of ['[::2]:3000', '::1', '[::1', '[::1]x']) {
      expect((await send(served, { host })).status).toBe(400);
    }
  });

  it("allows any well-formed host with '*' but still refuses a missing one", async () => {
    const served = await start(['*']);
    expect((await send(served, { host: 'anything.test:1' })).status).toBe(200);
    expect((await send(served, {})).status).toBe(400);
  });

  it('ignores X-Forwarded-Host unless app.proxy is true', async () => {
    const direct = await start(['example.com']);
    expect((await send(direct, { host: 'example.com', 'x-forwarded-host': 'evil.example' })).status).toBe(200);
    expect((await send(direct, { host: 'evil.example', 'x-forwarded-host': 'example.com' })).status).toBe(400);

    const proxied = await start(['example.com'], { proxy: true });
    expect((await send(proxied, { host: 'internal:8080', 'x-forwarded-host': 'example.com' })).status).toBe(200);
    expect((await send(proxied, { host: 'example.com', 'x-forwarded-host': 'evil.example' })).status).toBe(400);
    // Koa's ctx.host reads the first value of a list; that is the one checked.
    expect((await send(proxied, { host: 'example.com', 'x-forwarded-host': 'evil.example, example.com' })).status).toBe(400);
    const ok = await send(proxied, { host: 'evil.example', 'x-forwarded-host': 'example.com, evil.example' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ host: 'example.com' });
    // Without X-Forwarded-Host, a proxied app checks Host.
    expect((await send(proxied, { host: 'evil.example' })).status).toBe(400);
  });

  it('skips requests that `exempt` names', async () => {
    const served = await start(['example.com'], { allowed: { exempt: (ctx) => ctx.path === '/healthz' } });
    expect((await send(served, { host: '10.0.0.7:8080' }, '/healthz')).status).toBe(200);
    expect((await send(served, { host: '10.0.0.7:8080' }, '/')).status).toBe(400);
  });

  it('answers 400 even without authErrorHandler (Koa exposes the message)', async () => {
    const served = await start(['example.com'], { handler: false });
    const answer = await send(served, { host: 'evil.example' });
    expect(answer.status).toBe(400);
    expect(answer.body).toBe('Invalid Host header.');
    expect(reached).toBe(0);
  });

  it.each([[[]], [['example.com:443']], [['https://example.com']], [['example.com/']], [['*.example.com']], [['exa mple.com']], [['::1']]])(
    'throws ImproperlyConfigured at startup for %p',
    (hosts) => {
      expect(() => allowedHosts(hosts)).toThrow(ImproperlyConfigured);
    },
  );
});
