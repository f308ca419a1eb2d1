/**
 * `createsuperuser` (Django's): creates a user with every permission.
 *
 * - Interactive: asks for the username, an optional email and phone, and the password twice
 *   (not echoed); each answer is checked at once (format, uniqueness, password validators) and
 *   asked again when refused. A password the validators refuse can be kept after confirmation,
 *   as in Django.
 * - `--noinput` / `--no-input`: takes `KOA_AUTH_SUPERUSER_USERNAME`, `KOA_AUTH_SUPERUSER_EMAIL`,
 *   `KOA_AUTH_SUPERUSER_PHONE` and `KOA_AUTH_SUPERUSER_PASSWORD` (or `--username/--email/--phone`).
 *   Every problem is printed per field and the exit code is 1. Without a password the user gets
 *   an unusable one (Django's behaviour): set one later with `changepassword`.
 */
import { cleanUserFields } from '@koa-auth/core/internal';
import { ValidationError, type AbstractUser, type Auth } from '@koa-auth/core';
import { CommandError } from '../io/command-error.js';
import type { Command, CommandIo } from '../io/command.js';
import { fieldErrorLines, issueMessages } from '../io/field-errors.js';
import { parseOptions } from '../io/parse-options.js';
import type { Prompter } from '../io/prompter.js';
import { withRuntime } from '../io/with-runtime.js';

const USAGE = 'createsuperuser [--noinput] [--username NAME] [--email EMAIL] [--phone PHONE]';

interface SuperuserInput {
  username: string;
  email?: string;
  phone?: string;
  password: string | null;
}

export const createsuperuserCommand: Command = {
  name: 'createsuperuser',
  usage: USAGE,
  summary: 'Create a superuser (interactive, or --noinput with KOA_AUTH_SUPERUSER_* variables).',
  async run(io) {
    const { values, positionals } = parseOptions(
      io,
      { noinput: { type: 'boolean' }, 'no-input': { type: 'boolean' }, username: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' } },
      USAGE,
    );
    if (positionals.length > 0) throw new CommandError(`Unexpected argument ${positionals[0]}. Usage: ${io.programName} ${USAGE}`);
    return withRuntime(io, async ({ auth }) => {
      if (values.noinput || values['no-input']) return createFromEnvironment(io, auth, values);
      await createInteractively(io, auth, io.prompter(), values);
      return 0;
    });
  },
};

async function createFromEnvironment(io: CommandIo, auth: Auth<AbstractUser>, values: { username?: string; email?: string; phone?: string }): Promise<number> {
  const username = values.username ?? io.env.KOA_AUTH_SUPERUSER_USERNAME;
  if (!username) throw new CommandError('With --noinput, set KOA_AUTH_SUPERUSER_USERNAME (or pass --username).');
  const input: SuperuserInput = {
    username,
    email: values.email ?? io.env.KOA_AUTH_SUPERUSER_EMAIL,
    phone: values.phone ?? io.env.KOA_AUTH_SUPERUSER_PHONE,
    password: io.env.KOA_AUTH_SUPERUSER_PASSWORD ?? null,
  };
  try {
    await create(auth, input, false);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new CommandError(fieldErrorLines(error).join(' '));
  }
  io.out('Superuser created successfully.');
  if (input.password === null) io.out('It has no usable password (KOA_AUTH_SUPERUSER_PASSWORD was not set): use `changepassword` to set one.');
  return 0;
}

async function createInteractively(
  io: CommandIo,
  auth: Auth<AbstractUser>,
  prompter: Prompter,
  values: { username?: string; email?: string; phone?: string },
): Promise<void> {
  const username = await askUntilValid(io, prompter, 'Username: ', values.username, async (answer) => {
    if (!answer) return ['This field cannot be blank.'];
    const cleaned = checkFormat(auth, { username: answer });
    if (Array.isArray(cleaned)) return cleaned;
    return (await auth.users.findByIdentifier('username', answer)) ? ['That username is already taken.'] : null;
  });
  const email = await askUntilValid(io, prompter, 'Email address (optional): ', values.email, (answer) => checkOptionalUnique(auth, 'email', answer));
  const phone = await askUntilValid(io, prompter, 'Phone number (optional): ', values.phone, (answer) => checkOptionalUnique(auth, 'phone', answer));

  let password: string;
  let bypass = false;
  for (;;) {
    password = await prompter.askHidden('Password: ');
    const again = await prompter.askHidden('Password (again): ');
    if (password !== again) {
      io.err("Error: Your passwords didn't match.");
      continue;
    }
    if (password.trim() === '') {
      io.err("Error: Blank passwords aren't allowed.");
      continue;
    }
    try {
      auth.validatePassword(password, { username, email: email || null, phone: phone || null });
      break;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const message of issueMessages(error)) io.err(message);
      if (await prompter.confirm('Bypass password validation and create user anyway?')) {
        bypass = true;
        break;
      }
    }
  }
  try {
    await create(auth, { username, email, phone, password }, bypass);
  } catch (error) {
    // Someone else took a value between the question and now.
    if (!(error instanceof ValidationError)) throw error;
    throw new CommandError(fieldErrorLines(error).join(' '));
  }
  io.out('Superuser created successfully.');
}

function create(auth: Auth<AbstractUser>, input: SuperuserInput, skipPasswordValidation: boolean): Promise<AbstractUser> {
  const fields: Record<string, unknown> = { username: input.username, password: input.password };
  if (input.email) fields.email = input.email;
  if (input.phone) fields.phone = input.phone;
  return auth.users.createSuperuser(fields, { skipPasswordValidation });
}

/** Asks until `check` has no complaint (a value given as an option is checked the same way, once). */
async function askUntilValid(
  io: CommandIo,
  prompter: Prompter,
  question: string,
  given: string | undefined,
  check: (answer: string) => Promise<string[] | null>,
): Promise<string> {
  if (given !== undefined) {
    const problems = await check(given);
    if (problems) throw new CommandError(problems.join(' '));
    return given;
  }
  for (;;) {
    const answer = await prompter.ask(question);
    const problems = await check(answer);
    if (!problems) return answer;
    for (const problem of problems) io.err(`Error: ${problem}`);
  }
}

/** The cleaned fields, or the messages refusing them. */
function checkFormat(auth: Auth<AbstractUser>, fields: Record<string, string>): Record<string, unknown> | string[] {
  try {
    return cleanUserFields(fields, auth.phoneRegion);
  } catch (error) {
    if (error instanceof ValidationError) return issueMessages(error);
    throw error;
  }
}

async function checkOptionalUnique(auth: Auth<AbstractUser>, field: 'email' | 'phone', answer: string): Promise<string[] | null> {
  if (!answer) return null;
  const cleaned = checkFormat(auth, { [field]: answer });
  if (Array.isArray(cleaned)) return cleaned;
  const taken = await auth.users.findByIdentifier(field, answer);
  if (!taken) return null;
  return [field === 'email' ? 'A user with that email address already exists.' : 'A user with that phone number already exists.'];
}
