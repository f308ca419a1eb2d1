import type { AbstractUser } from '@koa-auth/core';
import type { TRPCCreateRouterOptions } from '@trpc/server';
import type { KoaAuthOptions } from './koa-auth-options.js';

/**
 * One line for each secure default of koaAuth() that `options` turns off, naming the option,
 * so an app's start-up log shows what a security review would ask about.
 */
export function weakenedDefaults<U extends AbstractUser, TRecord extends TRPCCreateRouterOptions>(options: KoaAuthOptions<U, TRecord>): string[] {
  const lines: string[] = [];
  if (options.allowedHosts === false || options.allowedHosts.includes('*')) {
    lines.push(
      `koa-auth: allowedHosts is ${options.allowedHosts === false ? 'false' : "['*']"}: requests with any Host header are served (only safe behind a proxy that checks Host).`,
    );
  }
  if (options.throttle === false) {
    lines.push('koa-auth: login throttling is off (throttle: false): passwords can be guessed without limit.');
  }
  if (options.allowRegistration === true) {
    lines.push('koa-auth: registration is open (allowRegistration: true): anyone can create an account.');
  }
  if (options.sms?.allowSignUp === true) {
    lines.push('koa-auth: SMS sign-up is open (sms.allowSignUp: true): anyone with a phone number can create an account.');
  }
  if (options.session?.sameSite === 'none') {
    lines.push("koa-auth: the session cookie is SameSite=None (session.sameSite: 'none'): other sites' requests carry it; CSRF checks are the only guard.");
  }
  if (options.csrf?.exempt) {
    lines.push('koa-auth: some requests skip the CSRF check (csrf.exempt): make sure each one is authenticated another way.');
  }
  return lines;
}
