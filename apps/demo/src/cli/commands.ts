/** The demo's own commands, listed before @koa-auth/cli's in `help`. */
import type { Command } from '@koa-auth/cli';
import { serveCommand, startCommand } from './serve.js';

export const DEMO_COMMANDS: readonly Command[] = [startCommand, serveCommand];
