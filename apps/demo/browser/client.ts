/**
 * The one API client of the page: koa-auth's client SDK in cookie mode (the session cookie
 * authenticates; the SDK echoes the CSRF cookie for browsers that send no Origin), typed by the
 * server's router: a renamed procedure or a wrong input is a build error here.
 */
import { createAuthClient } from '@koa-auth/client';
import type { AppRouter } from '../src/trpc/app-router.js';

export const client = createAuthClient<AppRouter>({ url: '/trpc', mode: 'cookie' });
