/**
 * `changepassword <user>` (Django's): asks for the new password twice, not echoed, applies the
 * password validators, gives up after three failed attempts (exit code 1). The user is found
 * by username, email or phone. Their sessions and JWTs are ended as well: at once when the
 * store is shared (Redis); with the in-memory store, the server notices the changed password
 * at each session's and token's next use (both are bound to the password) and ends it then.
 */
import { ValidationError } from '@koa-auth/core';
import { endUserSessions } from '@koa-auth/koa';
import { CommandError } from '../io/command-error.js';
import type { Command } from '../io/command.js';
import { issueMessages } from '../io/field-errors.js';
import { findUser } from '../io/find-user.js';
import { parseOptions } from '../io/parse-options.js';
import { withRuntime } from '../io/with-runtime.js';

const USAGE = 'changepassword <username|email|phone>';
const MAX_TRIES = 3;

export const changepasswordCommand: Command = {
  name: 'changepassword',
  usage: USAGE,
  summary: "Change a user's password (asked twice, not echoed).",
  async run(io) {
    const { positionals } = parseOptions(io, {}, USAGE);
    if (positionals.length !== 1) throw new CommandError(`Name one user. Usage: ${io.programName} ${USAGE}`);
    return withRuntime(io, async ({ auth, tokens, sessions }) => {
      const user = await findUser(auth, positionals[0]);
      const prompter = io.prompter();
      io.out(`Changing password for user '${user.username}'`);
      for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
        const password = await prompter.askHidden('Password: ');
        const again = await prompter.askHidden('Password (again): ');
        if (password !== again) {
          io.err('Passwords do not match. Please try again.');
          continue;
        }
        try {
          await auth.changePassword(user, password);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          for (const message of issueMessages(error)) io.err(message);
          continue;
        }
        // The runtime's stores carry the app's key prefixes: end the sessions the server reads.
        await endUserSessions(auth, user.id, { sessions, revoker: tokens });
        io.out(`Password changed successfully for user '${user.username}'.`);
        return 0;
      }
      throw new CommandError(`Aborting password change for user '${user.username}' after ${MAX_TRIES} attempts.`);
    });
  },
};
