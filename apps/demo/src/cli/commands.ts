/** Every command of the CLI, in the order `help` lists them. */
import { changepasswordCommand } from './changepassword.js';
import type { Command } from './command.js';
import { createsuperuserCommand } from './createsuperuser.js';
import { grantCommand, revokeCommand } from './grant.js';
import { identifierCollisionsCommand } from './identifier-collisions.js';
import { migrateCommand } from './migrate.js';
import { serveCommand, startCommand } from './serve.js';

export const COMMANDS: readonly Command[] = [
  startCommand,
  serveCommand,
  migrateCommand,
  createsuperuserCommand,
  changepasswordCommand,
  grantCommand,
  revokeCommand,
  identifierCollisionsCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

export function helpText(): string {
  return [
    'Usage: koa-auth-demo <command> [options]   (or: node dist/cli.js <command>)',
    '',
    'Commands:',
    ...COMMANDS.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    'Settings come from the environment (DATABASE_URL, REDIS_URL, SECRET_KEY, PORT, DATA_DIR,',
    'WECHAT_APPID/WECHAT_SECRET, …): see apps/demo/README.md.',
  ].join('\n');
}
