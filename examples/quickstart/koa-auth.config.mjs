// The auth settings, in one place: server.ts imports them, and so does the koa-auth CLI
// (`npx koa-auth migrate`, `npx koa-auth createsuperuser`, …). Plain JavaScript, so Node
// loads it as it is.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createAuth, createKnex, MixedLoginBackend } from '@koa-auth/core';

const secret = process.env.SECRET_KEY ?? '';
if (secret.length < 32) {
  console.error('Set SECRET_KEY to a random string of 32 or more characters, e.g. export SECRET_KEY=$(node -p "crypto.randomBytes(32).toString(\'base64url\')")');
  process.exit(1);
}

const databaseFile = process.env.DATABASE_FILE ?? 'data/app.db';
mkdirSync(dirname(databaseFile), { recursive: true });

export const auth = createAuth({
  knex: createKnex(`sqlite:${databaseFile}`),
  secret,
  // Log in with a username, an email address or a phone number.
  backends: [new MixedLoginBackend()],
});

export default { auth };
