// The typed client, from Node: `npm run client` logs in and prints who it is.
import { createAuthClient } from '@koa-auth/client';
import type { AppRouter } from './server.js';

const baseUrl = process.env.AUTH_URL ?? 'http://localhost:3000';
const client = createAuthClient<AppRouter>({ url: `${baseUrl}/trpc`, mode: 'bearer' });

await client.login({ identifier: process.env.KOA_AUTH_USER ?? '', password: process.env.KOA_AUTH_PASSWORD ?? '' });
const me = await client.auth.me.query();
console.log(me?.username);
