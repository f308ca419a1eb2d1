/**
 * One table, two transports: every typed error maps to the same HTTP status whether it is
 * thrown below authErrorHandler (guards, routes) or inside a tRPC procedure.
 */
import { AnonymousUserError, IdentifierCollisionError } from '@koa-auth/core/internal';
import { AuthError, ImproperlyConfigured, InvalidCredentials, PermissionDenied, ServiceUnavailable, ValidationError, type Auth } from '@koa-auth/core';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import Koa from 'koa';
import { z } from 'zod';
import { AuthenticationFailed, CsrfFailed, DisallowedHost, Forbidden, NotAuthenticated, OneCredentialCheckPerRequest, Throttled } from '../../src/errors.js';
import { authErrorHandler } from '../../src/guards/error-handler.js';
import { STATUS_BY_CODE } from '../../src/http/error-status.js';
import { authMiddleware } from '../../src/middleware/auth.js';
import { TRPC_CODE_BY_STATUS } from '../../src/trpc/error-mapping.js';
import { koaTrpc } from '../../src/trpc/koa-trpc.js';
import { PayloadTooLarge } from '../../src/trpc/payload-too-large.js';
import { publicProcedure, router } from '../../src/trpc/trpc.js';
import { serve, type Served } from '../support/serve.js';

/** Every typed error class of core and koa (and the bare codes wechat throws), with the status it must get. */
const CASES: ReadonlyArray<readonly [string, () => Error, number]> = [
  ['ValidationError', () => ValidationError.field('email', 'invalid', 'Enter a valid email address.'), 400],
  ['DisallowedHost', () => new DisallowedHost(), 400],
  ['OneCredentialCheckPerRequest', () => new OneCredentialCheckPerRequest(), 400],
  ['AuthenticationFailed', () => new AuthenticationFailed(), 401],
  ['NotAuthenticated', () => new NotAuthenticated(), 401],
  ['InvalidCredentials', () => new InvalidCredentials(), 401],
  ['Forbidden', () => new Forbidden(), 403],
  ['PermissionDenied', () => new PermissionDenied(), 403],
  ['CsrfFailed', () => new CsrfFailed('no token'), 403],
  ["AuthError('not_found')", () => new AuthError('not_found', 'No such thing.'), 404],
  ["AuthError('conflict')", () => new AuthError('conflict', 'Not yet.'), 409],
  ['PayloadTooLarge', () => new PayloadTooLarge(10), 413],
  ['Throttled', () => new Throttled(30), 429],
  ['ServiceUnavailable', () => new ServiceUnavailable('database'), 503],
  ['ImproperlyConfigured', () => new ImproperlyConfigured('bad setup'), 500],
  ['AnonymousUserError', () => new AnonymousUserError('save'), 500],
  ['IdentifierCollisionError', () => new IdentifierCollisionError([]), 500],
  ["AuthError('something_new')", () => new AuthError('something_new', 'unknown code'), 500],
  ['Error', () => new Error('plain'), 500],
];

let server: Served;

beforeAll(async () => {
  const appRouter = router({
    fail: publicProcedure.input(z.number().int()).query(({ input }) => {
      throw CASES[input]![1]();
    }),
  });
  const app = new Koa();
  app.silent = true;
  app.use(authErrorHandler());
  // The tRPC context needs an AuthState; no procedure here reads the user or the auth object.
  app.use(authMiddleware({} as Auth, { authenticators: [] }));
  app.use(koaTrpc({ router: appRouter }));
  app.use((ctx) => {
    const index = Number(ctx.path.slice('/guard/'.length));
    throw CASES[index]![1]();
  });
  server = await serve(app);
});
afterAll(() => server.close());

describe.each(CASES.map(([name, , status], index) => [name, status, index] as const))('%s', (_name, status, index) => {
  it(`answers ${status} when thrown below authErrorHandler`, async () => {
    expect((await server.fetch(`/guard/${index}`)).status).toBe(status);
  });

  it(`answers ${status} when thrown in a tRPC procedure`, async () => {
    const response = await server.fetch(`/trpc/fail?input=${encodeURIComponent(JSON.stringify(index))}`);
    expect(response.status).toBe(status);
  });
});

it('has a tRPC code, answering with that very status, for every status of the table', () => {
  for (const status of new Set(Object.values(STATUS_BY_CODE))) {
    const code = TRPC_CODE_BY_STATUS[status];
    expect(code).toBeDefined();
    expect(getHTTPStatusCodeFromError(new TRPCError({ code: code! }))).toBe(status);
  }
});
