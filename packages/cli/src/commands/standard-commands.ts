/** The commands of the `koa-auth` bin, in the order `help` lists them. */
import type { Command } from '../io/command.js';
import { changepasswordCommand } from './changepassword.js';
import { clearsessionsCommand } from './clearsessions.js';
import { createsuperuserCommand } from './createsuperuser.js';
import { grantCommand, revokeCommand } from './grant.js';
import { identifierCollisionsCommand } from './identifier-collisions.js';
import { migrateCommand } from './migrate.js';

/** migrate, createsuperuser, changepassword, grant, revoke, clearsessions, identifier-collisions. */
export const STANDARD_COMMANDS: readonly Command[] = [
  migrateCommand,
  createsuperuserCommand,
  changepasswordCommand,
  grantCommand,
  revokeCommand,
  clearsessionsCommand,
  identifierCollisionsCommand,
];
