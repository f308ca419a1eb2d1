/**
 * `serve`: the demo as a running process. Listens first (on PORT, or any free port for 0), so
 * the public URL — and WeChat's callback URL built from it — names the real port; starts the
 * bundled WeChat emulator unless real WeChat is configured; then prints what to open and what
 * it runs on (URLs redacted, never a secret).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenService } from '@koa-auth/koa';
import { effectiveAllowedHosts, type DemoConfig } from './config/config.js';
import { publicDir } from './config/paths.js';
import { secretKeyWarning } from './config/secret-key.js';
import { createDemoApp } from './http/app.js';
import { openRuntime, type DemoRuntime } from './setup/runtime.js';
import { pendingMigrations } from './setup/database.js';
import { startEmulator, type RunningDemoEmulator } from './wechat/emulator.js';
import { setupWechat } from './wechat/wechat.js';

/** How the README says to run `createsuperuser` (the start-up message names it). */
export const CREATESUPERUSER_COMMAND = 'pnpm --filter @koa-auth/demo cli createsuperuser';

export interface RunningDemo {
  url: string;
  /** The port the server listens on (PUBLIC_URL may name another, a proxy's). */
  port: number;
  runtime: DemoRuntime;
  close(): Promise<void>;
}

/** What tests may swap: the directory of the browser bundle. */
export interface ServeOverrides {
  publicDir?: string;
}

export async function serve(
  config: DemoConfig,
  log: (line: string) => void = (line) => console.log(line),
  overrides: ServeOverrides = {},
): Promise<RunningDemo> {
  const bundleDir = overrides.publicDir ?? publicDir;
  const runtime = openRuntime(config);
  let emulator: RunningDemoEmulator | null = null;
  let server: Server | null = null;
  try {
    const pending = await pendingMigrations(runtime.knex);
    if (pending.length > 0) {
      throw new Error(`The database has ${pending.length} unapplied migration(s) (${pending.join(', ')}). Run \`migrate\` first (\`start\` does it for you).`);
    }
    server = createServer();
    const port = await listen(server, config.port, config.host);
    const url = config.publicUrl ?? `http://localhost:${port}`;
    if (config.wechat.kind === 'emulator') {
      emulator = await startEmulator({ port: config.wechat.port, host: config.host, publicHostname: new URL(url).hostname });
    }
    const tokens = new TokenService(runtime.auth);
    const wechat = setupWechat({ auth: runtime.auth, tokens, setting: config.wechat, publicUrl: url, emulator, qrTtlSeconds: config.wechatQrTtlSeconds });
    const { app, hasBundle } = createDemoApp({
      auth: runtime.auth,
      tokens,
      wechat: wechat.wechat,
      wechatOpenOrigin: wechat.openOrigin,
      publicDir: bundleDir,
      publicUrl: url,
      allowedHosts: effectiveAllowedHosts(config, url),
      trustProxy: config.trustProxy,
      serveSourceMap: !config.production,
    });
    server.on('request', app.callback());

    const warning = secretKeyWarning(runtime.secretKey);
    if (warning) log(`WARNING: ${warning}`);
    if (!hasBundle) log(`WARNING: the browser bundle is missing (${bundleDir}/app.js): run \`pnpm build\`; pages will not work without it.`);
    log('');
    log('koa-auth demo is running.');
    log(`  Open      ${url}/ in your browser`);
    if (config.publicUrl) log(`  Listening ${config.host}:${port} (PUBLIC_URL is what browsers use)`);
    log(`  Database  ${runtime.databaseDescription}`);
    log(`  Store     ${runtime.storeDescription}`);
    log(`  WeChat    ${wechat.description}`);
    log('  Mail      printed here (password-reset links)');
    log('  SMS       printed here (verification codes: "SMS to +86…: 123456 is your login code")');
    log(`  Admin     create one with \`${CREATESUPERUSER_COMMAND}\`, then open ${url}/admin/users`);
    log('  Stop      Ctrl+C');
    log('');

    const listening = server;
    const running = emulator;
    return {
      url,
      port,
      runtime,
      async close() {
        await Promise.allSettled([closeServer(listening), running?.close()]);
        await runtime.close();
      },
    };
  } catch (error) {
    await Promise.allSettled([server ? closeServer(server) : undefined, emulator?.close()]);
    await runtime.close();
    throw error;
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Open event streams (WeChat status) and keep-alive sockets would hold close() forever.
    server.closeAllConnections();
  });
}
