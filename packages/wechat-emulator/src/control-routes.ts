/**
 * Emulator-only endpoints under `/__emulator` (not part of WeChat): they let tests and scripts
 * play the phone (and the Mini Program running on it), mint codes, turn knobs, read call
 * counters and move the clock without a browser. JSON in and out
 * (`/__emulator/confirm` also takes the consent page's form posts). Documented in README.md.
 */
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { respondToBrowser } from './browser-response.js';
import type { EmulatorContext } from './context.js';
import { API_ENDPOINTS, FAULT_KINDS, knobsPatchSchema } from './knobs.js';
import { renderErrorPage } from './pages/error-page.js';
import { issueCode, phoneAction, PhoneActionError } from './phone.js';
import { BodyError, readBody } from './read-body.js';

/** Form posts carry booleans as strings. */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

const confirmSchema = z.object({
  ticket: z.string().min(1).optional(),
  appid: z.string().optional(),
  redirect_uri: z.string().optional(),
  state: z.string().optional(),
  scope: z.string().optional(),
  user: z.string().min(1),
  action: z.enum(['scan', 'confirm', 'deny']).optional(),
  perform: flag.optional(),
  callbackHeaders: z.record(z.string(), z.string()).optional(),
  /** `browser`: answer like WeChat would to the browser (302 / page) instead of JSON. */
  respond: z.enum(['json', 'browser']).optional(),
});

const codeSchema = z.object({
  appid: z.string().min(1),
  user: z.string().min(1),
  kind: z.enum(['oauth', 'miniprogram-login', 'phone-number']).optional(),
  scope: z.string().optional(),
  snapshot: z.boolean().optional(),
});

const faultSchema = z.object({
  endpoint: z.enum(API_ENDPOINTS),
  times: z.number().int().min(0).optional(),
  kind: z.enum(FAULT_KINDS).optional(),
});

const clockSchema = z.object({ advanceSeconds: z.number().min(0) });

export function controlRoutes(context: EmulatorContext, reset: () => void): Router {
  const router = new Router({ prefix: '/__emulator' });

  // Turns validation and phone errors into JSON answers with a useful status.
  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (error instanceof z.ZodError) return fail(ctx, 400, 'invalid_request', z.prettifyError(error));
      if (error instanceof BodyError) return fail(ctx, 400, 'invalid_request', error.message);
      if (error instanceof PhoneActionError) return fail(ctx, error.status, error.slug, error.message);
      throw error;
    }
  });

  router.get('/', (ctx) => {
    ctx.body = {
      // Secrets are left out on purpose: this overview is meant to be printed and shared.
      apps: [...context.apps.values()].map(({ secret: _secret, ...app }) => app),
      users: [...context.users.values()],
      knobs: context.knobs.get(),
      // API calls per endpoint since start or reset (e.g. one stable_token call across instances).
      calls: context.calls.get(),
      now: new Date(context.clock.now()).toISOString(),
    };
  });

  router.post('/confirm', async (ctx) => {
    const { respond, ...input } = confirmSchema.parse(await readBody(ctx));
    if (respond !== 'browser') {
      ctx.body = await phoneAction(context, input);
      return;
    }
    try {
      respondToBrowser(ctx, context, await phoneAction(context, input));
    } catch (error) {
      if (!(error instanceof PhoneActionError)) throw error;
      ctx.status = error.status;
      ctx.type = 'html';
      ctx.body = renderErrorPage({ slug: error.slug, message: error.message });
    }
  });

  router.post('/codes', async (ctx) => {
    const input = codeSchema.parse(await readBody(ctx));
    ctx.body = { code: issueCode(context, input) };
  });

  router.get('/knobs', (ctx) => {
    ctx.body = context.knobs.get();
  });

  router.patch('/knobs', async (ctx) => {
    ctx.body = context.knobs.set(knobsPatchSchema.parse(await readBody(ctx)));
  });

  router.post('/faults', async (ctx) => {
    const { endpoint, times, kind } = faultSchema.parse(await readBody(ctx));
    ctx.body = context.knobs.failNext(endpoint, times ?? 1, kind ?? 'system_error');
  });

  router.post('/clock', async (ctx) => {
    const { advanceSeconds } = clockSchema.parse(await readBody(ctx));
    context.clock.advance(advanceSeconds);
    ctx.body = { now: new Date(context.clock.now()).toISOString() };
  });

  router.post('/reset', (ctx) => {
    reset();
    ctx.body = { ok: true };
  });

  return router;
}

function fail(ctx: Context, status: number, error: string, message: string): void {
  ctx.status = status;
  ctx.body = { error, message };
}
