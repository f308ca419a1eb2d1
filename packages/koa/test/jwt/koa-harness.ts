/**
 * A tiny Koa app around one authenticator: it runs the authenticator and answers with who the
 * user is; AuthenticationFailed becomes a 401 with the authenticator's challenge. Any other
 * error is left to Koa (a 500), so tests notice when something escapes.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { backendOf, type Auth, type User } from '@koa-auth/core';
import Koa from 'koa';
import type { RequestAuthenticator } from '../../src/authenticators/request-authenticator.js';
import { AuthenticationFailed } from '../../src/errors.js';

export interface Harness {
  url: string;
  close(): Promise<void>;
}

export async function startApp(auth: Auth<User>, authenticator: RequestAuthenticator<User> & { challenge?: string }): Promise<Harness> {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx) => {
    try {
      const result = await authenticator.authenticate(ctx, auth);
      ctx.body = result
        ? { user: result.user.username, via: result.via, backend: backendOf(result.user) ?? null, details: result.details ?? null }
        : { user: null };
    } catch (error) {
      if (!(error instanceof AuthenticationFailed)) throw error;
      ctx.status = 401;
      if (authenticator.challenge) ctx.set('WWW-Authenticate', authenticator.challenge);
      ctx.body = { error: error.code, message: error.message };
    }
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** GET the app with an optional Authorization header; status and parsed JSON body. */
export async function call(harness: Harness, authorization?: string): Promise<{ status: number; body: Record<string, unknown>; challenge: string | null }> {
  const response = await fetch(harness.url, { headers: authorization === undefined ? {} : { authorization } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, challenge: response.headers.get('www-authenticate') };
}
