#!/usr/bin/env node
/**
 * `koa-auth-demo` / `node dist/cli.js`: the demo's manage.py. See cli/commands.ts for the
 * commands and apps/demo/README.md for the settings.
 */
import { main } from './cli/main.js';

const code = await main(process.argv.slice(2));
// Commands have closed what they opened; exiting explicitly also ends a command whose
// connection pool (or Redis client) would otherwise keep the process alive a while.
process.exit(code);
