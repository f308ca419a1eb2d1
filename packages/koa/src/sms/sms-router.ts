import { ImproperlyConfigured, ServiceUnavailable, ValidationError, type AbstractUser, type Auth, type KeyValueStore } from '@koa-auth/core';
import { isUserActive, passwordResetGrant, SMS_PURPOSES, smsText, toE164 } from '@koa-auth/core/internal';
import { PhoneCodeBackend, type SmsPurpose } from '@koa-auth/core/sms';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { AuthenticationFailed, NotAuthenticated } from '../errors.js';
import { authRequestOf } from '../login/auth-request.js';
import { loginAccount, userAccount } from '../throttle/login-account.js';
import type { LoginThrottle } from '../throttle/login-throttle.js';
import { resolveSmsSendLimits, SmsSendThrottle } from '../throttle/sms-send-throttle.js';
import type { AuthTrpcContext } from '../trpc/context.js';
import { credentialProcedure } from '../trpc/procedures.js';
import { publicUser } from '../trpc/public-user.js';
import { publicProcedure, router } from '../trpc/trpc.js';
import { SendLatency } from './send-latency.js';
import { smsBinding } from './sms-binding.js';
import type { SmsOptions } from './sms-options.js';

/** One message for every refused code (wrong, used, expired, dead, another browser's): it tells nothing. */
const WRONG_CODE = 'The code is wrong or has expired. Ask for a new one.';

const phoneInput = z.string().trim().min(1, 'This field is required.').max(64);
const purposeInput = z.enum(SMS_PURPOSES);
const codeInput = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code.');

/**
 * `auth.sms.*`: SMS verification codes for logging in (or signing up), proving a phone, and
 * password reset by phone. Without `options` every procedure answers 404.
 *
 * `send` normalises the phone (E.164, the auth's region), reserves a send under every limit
 * before anything else (429 with Retry-After when one is used up), then sends the code only to
 * whom it may go — a `login` or `reset` code only to a number with an active account (or, for
 * `login` with `allowSignUp`, to any number) — and answers the same `{ ok }` either way, in the
 * same time (SendLatency): whether a number has an account is never told. A provider failure
 * answers 503 and gives the number its allowance back.
 *
 * `verify` checks one code per HTTP request (credentialProcedure), counted by the login throttle
 * like a password (per account and per address), and by the code's own tries; every refusal is
 * the same 401.
 */
export function createSmsRouter(options: SmsOptions | undefined, loginThrottleOf: (store: KeyValueStore) => LoginThrottle | null) {
  if (options && (typeof options.sender !== 'object' || typeof options.sender?.send !== 'function')) {
    throw new ImproperlyConfigured('sms.sender must be an SmsSender (an object with send()).');
  }
  const throttles = new WeakMap<KeyValueStore, SmsSendThrottle>();
  const latency = new SendLatency();
  // Checked now, so wrong limits stop the app at start-up.
  if (options) resolveSmsSendLimits(options.limits);

  function enabled(ctx: AuthTrpcContext): { sms: SmsOptions; backend: PhoneCodeBackend<AbstractUser> } {
    if (!options) throw new TRPCError({ code: 'NOT_FOUND', message: 'SMS codes are not enabled.' });
    const backend = PhoneCodeBackend.of(ctx.auth);
    if (!backend) throw new ImproperlyConfigured('SMS codes need a PhoneCodeBackend in the auth backends.');
    return { sms: options, backend };
  }

  function throttleOf(store: KeyValueStore): SmsSendThrottle {
    let throttle = throttles.get(store);
    if (!throttle) {
      throttle = new SmsSendThrottle(store, options?.limits);
      throttles.set(store, throttle);
    }
    return throttle;
  }

  return router({
    send: publicProcedure.input(z.object({ phone: phoneInput, purpose: purposeInput })).mutation(async ({ ctx, input }) => {
      const { sms, backend } = enabled(ctx);
      const phone = normalizedPhone(ctx.auth, input.phone);
      const user = input.purpose === 'verify' ? await loggedIn(ctx) : null;
      const binding = smsBinding(ctx.koa);
      const throttle = throttleOf(ctx.auth.store);
      const reservation = await throttle.reserve(phone, ctx.koa.ip);
      const codes = backend.phoneCodes(ctx.auth);
      const answer = { ok: true as const, resendAfterSeconds: throttle.resendAfterSeconds, expiresInSeconds: codes.ttlSeconds };
      if (!(await mayReceive(ctx.auth, input.purpose, phone, user, sms.allowSignUp === true))) {
        await latency.pad();
        return answer;
      }
      const { code } = await codes.issue({ phone, purpose: input.purpose, binding });
      const started = Date.now();
      try {
        await sms.sender.send({ phone, code, purpose: input.purpose, text: (sms.text ?? smsText)(code, input.purpose) });
      } catch (error) {
        await reservation.release();
        // The provider's error may echo the message: only its name goes on as the cause.
        const unavailable = new ServiceUnavailable('SMS sender', 'The message could not be sent; try again shortly.');
        unavailable.cause = error instanceof Error ? error.name : 'error';
        throw unavailable;
      }
      latency.record(Date.now() - started);
      return answer;
    }),

    verify: credentialProcedure.input(z.object({ phone: phoneInput, purpose: purposeInput, code: codeInput })).mutation(async ({ ctx, input }) => {
      const { sms, backend } = enabled(ctx);
      const phone = normalizedPhone(ctx.auth, input.phone);
      const binding = smsBinding(ctx.koa);
      const throttle = loginThrottleOf(ctx.auth.store);

      if (input.purpose === 'login') {
        const attempt = await throttle?.reserve(await loginAccount(ctx.auth, phone), ctx.koa.ip);
        const user = await ctx.auth.authenticate(authRequestOf(ctx.koa), { phone, code: input.code, sessionKey: binding, signUp: sms.allowSignUp === true });
        if (!user) {
          await attempt?.failed();
          throw new AuthenticationFailed(WRONG_CODE);
        }
        await attempt?.succeeded();
        await ctx.login(user);
        return { purpose: 'login' as const, user: publicUser(ctx.auth, user), created: PhoneCodeBackend.signedUp(user) };
      }

      if (input.purpose === 'verify') {
        const user = await loggedIn(ctx);
        const attempt = await throttle?.reserve(userAccount(user), ctx.koa.ip);
        const check = await backend.phoneCodes(ctx.auth).verify({ phone, purpose: 'verify', binding }, input.code);
        if (!check.ok) {
          await attempt?.failed();
          throw new AuthenticationFailed(WRONG_CODE);
        }
        await attempt?.succeeded();
        // Proven: now it may become theirs (a number taken by another account is a field error).
        const updated = await ctx.auth.users.updateUser(user, { phone });
        return { purpose: 'verify' as const, user: publicUser(ctx.auth, updated) };
      }

      const attempt = await throttle?.reserve(await loginAccount(ctx.auth, phone), ctx.koa.ip);
      const check = await backend.phoneCodes(ctx.auth).verify({ phone, purpose: 'reset', binding }, input.code);
      const user = check.ok ? await ctx.auth.users.findByIdentifier('phone', phone) : null;
      if (!user || !isUserActive(user)) {
        await attempt?.failed();
        throw new AuthenticationFailed(WRONG_CODE);
      }
      await attempt?.succeeded();
      // The grant is what a reset mail's link carries: `auth.passwordReset.confirm` takes it.
      return { purpose: 'reset' as const, ...passwordResetGrant(ctx.auth, user) };
    }),
  });
}

/** The phone in E.164 in the auth's region, or a ValidationError on `phone`. */
function normalizedPhone(auth: Auth<AbstractUser>, text: string): string {
  const phone = toE164(text, auth.phoneRegion);
  if (!phone) throw ValidationError.field('phone', 'invalid', 'Enter a valid phone number.');
  return phone;
}

async function loggedIn(ctx: AuthTrpcContext): Promise<AbstractUser> {
  const user = await ctx.getUser();
  if (!user.isAuthenticated) throw new NotAuthenticated();
  return user as AbstractUser;
}

/**
 * Whether a code of `purpose` may be sent to `phone`: `verify` always (the logged-in user is
 * proving it; whether it is taken is told only to whoever holds the code); `login` and `reset`
 * to an active account's number, and `login` to any number when sign-up is allowed. Known and
 * unknown numbers cost the same lookup.
 */
async function mayReceive(auth: Auth<AbstractUser>, purpose: SmsPurpose, phone: string, user: AbstractUser | null, allowSignUp: boolean): Promise<boolean> {
  if (purpose === 'verify') return user !== null;
  const owner = await auth.users.findByIdentifier('phone', phone);
  if (owner) return isUserActive(owner);
  return purpose === 'login' && allowSignUp;
}
