/**
 * `serve` (alias `runserver`): runs the demo until SIGINT/SIGTERM. `start`: `migrate`, then
 * `serve` — what `pnpm demo` runs, so a fresh checkout needs no separate step.
 */
import { CommandError, runMigrations, type Command, type CommandIo } from '@koa-auth/cli';
import { loadConfig } from '../config/config.js';
import { serve, type RunningDemo } from '../server.js';

async function serveUntilStopped(io: CommandIo): Promise<void> {
  let running: RunningDemo;
  try {
    running = await serve(loadConfig(io.env), io.out);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { port?: number; address?: string };
    if (e.code === 'EADDRINUSE') {
      throw new CommandError(`Port ${e.port ?? ''} is already in use. Set PORT (and WECHAT_EMULATOR_PORT, default PORT+1) to free ports.`);
    }
    throw error;
  }
  const stopped = running;
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      io.out(`Received ${signal}, shutting down.`);
      void stopped.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export const serveCommand: Command = {
  name: 'serve',
  aliases: ['runserver'],
  usage: 'serve',
  summary: 'Run the web server (and the WeChat emulator unless WECHAT_APPID is set).',
  run: serveUntilStopped,
};

export const startCommand: Command = {
  name: 'start',
  usage: 'start',
  summary: 'migrate, then serve.',
  async run(io) {
    await runMigrations(io);
    await serveUntilStopped(io);
  },
};
