#!/usr/bin/env node
/** `koa-auth <command>`: see run-cli.ts and the package README. */
import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2));
// Commands close what they opened; exiting explicitly also ends a command whose connection
// pool (or Redis client) would otherwise keep the process alive a while.
process.exit(code);
