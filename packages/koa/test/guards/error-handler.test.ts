import { AuthError, ImproperlyConfigured, InvalidCredentials, PermissionDenied, ServiceUnavailable, ValidationError } from '@koa-auth/core';
import Koa from 'koa';
import { AuthenticationFailed, CsrfFailed, DisallowedHost, Forbidden, NotAuthenticated, OneCredentialCheckPerRequest, Throttled } from '../../src/errors.js';
import { authErrorHandler, type AuthErrorHandlerOptions } from '../../src/guards/error-handler.js';
import { authErrorStatus } from '../../src/http/error-status.js';
import { PayloadTooLarge } from '../../src/trpc/payload-too-large.js';
import { serve, type Served } from '../support/serve.js';

describe('authErrorStatus', () => {
  it.each([
    [ValidationError.field('email', 'invalid', 'Enter a valid email address.'), 400],
    [new DisallowedHost(), 400],
    [new AuthenticationFailed(), 401],
    [new NotAuthenticated(), 401],
    [new InvalidCredentials(), 401],
    [new Forbidden(), 403],
    [new PermissionDenied(), 403],
    [new CsrfFailed('no token'), 403],
    [new Throttled(30), 429],
    [new OneCredentialCheckPerRequest(), 400],
    [new ServiceUnavailable('database'), 503],
    [new PayloadTooLarge(10), 413],
    [new AuthError('not_found', 'No such thing.'), 404],
    [new AuthError('conflict', 'Not yet.'), 409],
  ] as const)('maps %p to %i', (error, status) => {
    expect(authErrorStatus(error)).toBe(status);
  });

  it.each([
    new ImproperlyConfigured('bad setup'),
    new AuthError('something_new', 'unknown code'),
    new AuthError('toString', 'inherited property names are not codes'),
    new Error('plain'),
    Object.assign(new Error('look-alike'), { code: 'forbidden' }),
    { code: 'forbidden', message: 'not an error' },
    'forbidden',
    null,
    undefined,
  ])('returns null for %p', (error) => {
    expect(authErrorStatus(error)).toBeNull();
  });
});

describe('authErrorHandler', () => {
  let server: Served;
  let thrown: unknown;
  let options: AuthErrorHandlerOptions | undefined;

  beforeAll(async () => {
    const app = new Koa();
    app.silent = true;
    app.use((ctx, next) => authErrorHandler(options)(ctx, next));
    app.use((ctx) => {
      ctx.set('Location', '/half-built');
      throw thrown;
    });
    server = await serve(app);
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    options = undefined;
  });

  async function answer(error: unknown): Promise<{ response: Response; text: string }> {
    thrown = error;
    const response = await server.fetch('/');
    return { response, text: await response.text() };
  }

  it('answers 401 with a Bearer challenge and the error code', async () => {
    const { response, text } = await answer(new NotAuthenticated());
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(response.headers.get('location')).toBeNull();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'not_authenticated', message: 'Authentication credentials were not provided.' },
    });
  });

  it('uses the configured challenge, or none', async () => {
    options = { wwwAuthenticate: 'Bearer realm="shop"' };
    expect((await answer(new InvalidCredentials())).response.headers.get('www-authenticate')).toBe('Bearer realm="shop"');
    options = { wwwAuthenticate: null };
    expect((await answer(new AuthenticationFailed())).response.headers.get('www-authenticate')).toBeNull();
  });

  it('sends Retry-After with 429', async () => {
    const { response, text } = await answer(new Throttled(12.2));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('13');
    expect(JSON.parse(text).error.code).toBe('throttled');
  });

  it('includes the fields of a ValidationError', async () => {
    const { response, text } = await answer(
      ValidationError.merge([
        ValidationError.field('email', 'invalid', 'Enter a valid email address.'),
        ValidationError.field('__all__', 'mismatch', 'The two passwords differ.'),
      ]),
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(text)).toEqual({
      error: {
        code: 'invalid',
        message: 'Enter a valid email address. The two passwords differ.',
        fields: {
          email: [{ code: 'invalid', message: 'Enter a valid email address.' }],
          __all__: [{ code: 'mismatch', message: 'The two passwords differ.' }],
        },
      },
    });
  });

  it.each([
    [new Forbidden(), 403, 'forbidden'],
    [new PermissionDenied(), 403, 'permission_denied'],
    [new CsrfFailed('token missing.'), 403, 'csrf_failed'],
    [new OneCredentialCheckPerRequest(), 400, 'one_credential_check_per_request'],
    [new ServiceUnavailable('key-value store'), 503, 'service_unavailable'],
  ] as const)('answers %p with %i', async (error, status, code) => {
    const { response, text } = await answer(error);
    expect(response.status).toBe(status);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(JSON.parse(text).error.code).toBe(code);
  });

  it('never sends a stack or a cause', async () => {
    const error = new ServiceUnavailable('database');
    error.cause = new Error('connect ECONNREFUSED 10.0.0.7:3306 password=hunter2');
    const { text } = await answer(error);
    expect(text).not.toMatch(/ECONNREFUSED|hunter2|at .*\.ts|stack|cause/);
    expect(Object.keys(JSON.parse(text).error).sort()).toEqual(['code', 'message']);
  });

  it('rethrows other errors, which Koa answers as a bare 500', async () => {
    for (const error of [new Error('secret detail'), new ImproperlyConfigured('secret detail'), new AuthError('odd', 'secret detail')]) {
      const { response, text } = await answer(error);
      expect(response.status).toBe(500);
      expect(text).not.toMatch(/secret detail/);
    }
  });
});
