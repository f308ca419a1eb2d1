/**
 * The `wechat.*` tRPC procedures, built on koa-auth's shared tRPC instance so they merge with
 * `auth.*` and the app's routers: `router({ auth: createAuthRouter(…), wechat: createWechatRouter(…) })`.
 *
 * | procedure | kind | who | does |
 * |---|---|---|---|
 * | `start` | mutation | anyone (`bind`: logged in) | `{ mode?, bearer? }` → `{ state, qrUrl, expiresAt, browserKey? }` |
 * | `status` | query | the starting browser | `{ state, browserKey? }` → status view |
 * | `onStatus` | subscription (SSE) | the starting browser | the status, then each change, until final |
 * | `complete` | mutation | the starting browser | logs in / returns tokens / reports the binding, once |
 * | `bind` | mutation | logged in | `start` in bind mode |
 * | `unbind` | mutation | logged in | `{ profileId }` or `{ appid }` |
 * | `profiles` | query | logged in | the user's linked accounts (no tokens: none are stored) |
 * | `oaStart` | mutation | anyone (`bind`: logged in) | `{ mode?, next? }` → `{ url, expiresAt }`: Official Account authorization (with an `oa` app) |
 * | `miniProgram.login` | mutation | anyone | `{ code, appid? }` (a `wx.login()` code) → `{ user, created, tokens }` (with a `miniprogram` app) |
 * | `miniProgram.bindPhone` | mutation | logged in | `{ code, appid? }` (a `getPhoneNumber` code) → the user, with the phone stored |
 *
 * Errors are core/koa AuthErrors mapped by the shared procedures: another browser → FORBIDDEN,
 * not confirmed yet → CONFLICT, expired/used state or refused login → BAD_REQUEST with
 * `fieldErrors.state[0].code`, last login method → BAD_REQUEST `fieldErrors.__all__[0].code`.
 * Mini Program errors (mini-program/mini-program-errors.ts): a bad code → BAD_REQUEST
 * `fieldErrors.code`, a refused login → FORBIDDEN, WeChat busy → SERVICE_UNAVAILABLE, any other
 * WeChat error → BAD_GATEWAY (502) naming the errcode.
 */
import { AuthError, type AbstractUser } from '@koa-auth/core';
import { protectedProcedure, publicProcedure, publicUser, router } from '@koa-auth/koa';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { wechatAppidSchema, wechatCodeSchema } from '../backend/wechat-credentials.js';
import { WechatUpstreamError } from '../mini-program/mini-program-errors.js';
import type { MiniProgram } from '../mini-program/mini-program.js';
import type { WechatBinding } from '../binding/wechat-binding.js';
import type { OaLogin } from '../oa-login/oa-login.js';
import type { QrLogin } from '../qr-login/qr-login.js';

export interface WechatRouterOptions<U extends AbstractUser = AbstractUser> {
  qr: QrLogin<U>;
  binding: WechatBinding<U>;
  /** Official Account login; without it `oaStart` answers NOT_FOUND. */
  oa?: OaLogin<U>;
  /** Mini Program login; without it `miniProgram.*` answers NOT_FOUND. */
  miniProgram?: MiniProgram<U>;
}

const miniProgramInput = z.object({ code: wechatCodeSchema, appid: wechatAppidSchema.optional() });

/** A WeChat error the app cannot retry is a bad gateway (502), which koa-auth's error codes do not name. */
async function upstreamAsBadGateway<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WechatUpstreamError) throw new TRPCError({ code: 'BAD_GATEWAY', message: error.message, cause: error });
    throw error;
  }
}

const stateInput = z.object({
  state: z.string().min(1).max(64),
  /** Accepted for compatibility; prefer the header, which stays out of URLs and their logs. */
  browserKey: z.string().min(1).max(64).optional(),
});

/** Header carrying the bearer-mode browser key (GET queries and event streams put inputs in URLs). */
export const BROWSER_KEY_HEADER = 'x-wechat-browser-key';

function browserKeyOf(koa: { get(name: string): string }, input: { browserKey?: string }): string | undefined {
  const header = koa.get(BROWSER_KEY_HEADER);
  return input.browserKey ?? (header && header.length <= 64 ? header : undefined);
}

const startInput = z
  .object({
    mode: z.enum(['login', 'bind']).optional(),
    bearer: z.boolean().optional(),
  })
  .optional();

const oaStartInput = z
  .object({
    mode: z.enum(['login', 'bind']).optional(),
    next: z.string().max(2048).optional(),
  })
  .optional();

const unbindInput = z.union([z.object({ profileId: z.number().int().positive() }), z.object({ appid: wechatAppidSchema })]);

/**
 * The `wechat.*` tRPC procedures over `qr`, `binding` and (optional) `oa`: start, status,
 * onStatus (SSE), complete, bind, unbind, profiles, oaStart (NOT_FOUND without `oa`). Mount at
 * `wechat` beside `auth`. Errors are typed AuthErrors mapped to tRPC codes: another browser
 * FORBIDDEN, not confirmed yet CONFLICT, a used/expired state or refused login BAD_REQUEST.
 */
export function createWechatRouter<U extends AbstractUser>(options: WechatRouterOptions<U>) {
  const { qr, binding, oa, miniProgram } = options;
  const requireMiniProgram = (): MiniProgram<U> => {
    if (!miniProgram) throw new AuthError('not_found', 'No WeChat Mini Program is configured.');
    return miniProgram;
  };
  return router({
    start: publicProcedure.input(startInput).mutation(({ ctx, input }) => qr.start(ctx.koa, input ?? {})),

    status: publicProcedure.input(stateInput).query(({ ctx, input }) => qr.status(ctx.koa, input.state, browserKeyOf(ctx.koa, input))),

    onStatus: publicProcedure.input(stateInput).subscription(({ ctx, input, signal }) => qr.watch(ctx.koa, input.state, browserKeyOf(ctx.koa, input), signal)),

    complete: publicProcedure.input(stateInput).mutation(({ ctx, input }) => qr.complete(ctx.koa, input.state, browserKeyOf(ctx.koa, input))),

    bind: protectedProcedure
      .input(z.object({ bearer: z.boolean().optional() }).optional())
      .mutation(({ ctx, input }) => qr.start(ctx.koa, { mode: 'bind', ...(input?.bearer ? { bearer: true } : {}) })),

    unbind: protectedProcedure.input(unbindInput).mutation(async ({ ctx, input }) => {
      await binding.unbind(ctx.user as U, input);
      return { ok: true as const };
    }),

    profiles: protectedProcedure.query(({ ctx }) => binding.profiles(ctx.user as U)),

    // A mutation (POST, CSRF-checked): the only way besides the start route's form to begin an
    // OA authorization. The scope is the app's configuration, never the caller's.
    oaStart: publicProcedure.input(oaStartInput).mutation(({ ctx, input }) => {
      if (!oa) throw new AuthError('not_found', 'No WeChat Official Account is configured.');
      return oa.start(ctx.koa, input ?? {});
    }),

    miniProgram: router({
      // Public, and answered with a bearer pair (Mini Programs keep no cookies).
      login: publicProcedure.input(miniProgramInput).mutation(({ ctx, input }) =>
        upstreamAsBadGateway(async () => {
          const { user, created, tokens } = await requireMiniProgram().login(ctx.koa, input);
          return { user: publicUser(ctx.auth, user), created, tokens };
        }),
      ),

      bindPhone: protectedProcedure
        .input(miniProgramInput)
        .mutation(({ ctx, input }) => upstreamAsBadGateway(async () => publicUser(ctx.auth, await requireMiniProgram().bindPhone(ctx.user as U, input)))),
    }),
  });
}

/** The type of the WeChat router, for clients. */
export type WechatRouter = ReturnType<typeof createWechatRouter>;
