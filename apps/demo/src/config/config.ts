/**
 * The demo's settings, read from the environment once, with defaults that need nothing
 * installed: a SQLite file, an in-memory store and the bundled WeChat emulator.
 *
 * | variable | default |
 * |---|---|
 * | `PORT` | 3000 (0: any free port) |
 * | `HOST` | 127.0.0.1 (the interface to listen on; 0.0.0.0 to accept other machines) |
 * | `PUBLIC_URL` | `http://localhost:PORT` (what browsers open; WeChat's callback and reset links are built from it) |
 * | `ALLOWED_HOSTS` | `localhost,127.0.0.1,[::1]` (comma-separated; PUBLIC_URL's host is always added) |
 * | `TRUST_PROXY` | false (true: trust X-Forwarded-Proto/-Host/-For from a proxy in front) |
 * | `NODE_ENV` | — (`production`: the bundle's source map is not served) |
 * | `DATA_DIR` | apps/demo/data |
 * | `DATABASE_URL` | `sqlite:DATA_DIR/demo.db`; or `mysql://user:pass@host:3306/db` |
 * | `REDIS_URL` | none: an in-memory store (one process; sessions end on restart) |
 * | `REDIS_PREFIX` | `koa-auth-demo:` |
 * | `SECRET_KEY` | generated into `DATA_DIR/secret_key` on first run |
 * | `WECHAT_APPID` + `WECHAT_SECRET` | none: the bundled emulator |
 * | `WECHAT_EMULATOR_PORT` | PORT + 1 (0 when PORT is 0) |
 * | `WECHAT_QR_TTL_SECONDS` | 300 (how long a WeChat QR code is accepted) |
 */
import { isAbsolute, join, resolve } from 'node:path';
import { allowedHosts } from '@koa-auth/koa';
import { ConfigError } from './config-error.js';
import { defaultDataDir } from './paths.js';

/** WeChat: the real one (an Open Platform website app) or the emulator bundled in this process. */
export type WechatSetting = { kind: 'real'; appid: string; secret: string } | { kind: 'emulator'; port: number };

export interface DemoConfig {
  port: number;
  host: string;
  /** PUBLIC_URL without a trailing slash, or null to use `http://localhost:<actual port>`. */
  publicUrl: string | null;
  /** Host names the app answers to (allowedHosts entries); PUBLIC_URL's host is added when the app is built. */
  allowedHosts: string[];
  /** Koa's `app.proxy`: trust X-Forwarded-* headers (only behind a proxy you run). */
  trustProxy: boolean;
  /** NODE_ENV=production: nothing for developers only (the source map) is served. */
  production: boolean;
  dataDir: string;
  databaseUrl: string;
  redisUrl: string | null;
  redisPrefix: string;
  /** SECRET_KEY when set; otherwise the key file in dataDir is used (see secret-key.ts). */
  secretKey: string | null;
  wechat: WechatSetting;
  /** How long a WeChat QR code is accepted, in seconds. */
  wechatQrTtlSeconds: number;
}

type Env = Record<string, string | undefined>;

/** Reads the settings; throws ConfigError naming the variable for anything invalid. */
export function loadConfig(env: Env = process.env): DemoConfig {
  const port = portOf(env, 'PORT', 3000);
  const dataDir = pathOf(env.DATA_DIR) ?? defaultDataDir;
  return {
    port,
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    publicUrl: publicUrlOf(env.PUBLIC_URL),
    allowedHosts: allowedHostsOf(env.ALLOWED_HOSTS),
    trustProxy: booleanOf(env, 'TRUST_PROXY'),
    production: nonEmpty(env.NODE_ENV) === 'production',
    dataDir,
    databaseUrl: nonEmpty(env.DATABASE_URL) ?? `sqlite:${join(dataDir, 'demo.db')}`,
    redisUrl: nonEmpty(env.REDIS_URL) ?? null,
    redisPrefix: nonEmpty(env.REDIS_PREFIX) ?? 'koa-auth-demo:',
    secretKey: nonEmpty(env.SECRET_KEY) ?? null,
    wechat: wechatOf(env, port),
    wechatQrTtlSeconds: secondsOf(env, 'WECHAT_QR_TTL_SECONDS', 300, 5, 3600),
  };
}

function wechatOf(env: Env, port: number): WechatSetting {
  const appid = nonEmpty(env.WECHAT_APPID);
  const secret = nonEmpty(env.WECHAT_SECRET);
  if (appid && secret) return { kind: 'real', appid, secret };
  if (appid || secret) throw new ConfigError('Set both WECHAT_APPID and WECHAT_SECRET (real WeChat), or neither (the bundled emulator).');
  const fallback = port === 0 ? 0 : port + 1;
  return { kind: 'emulator', port: portOf(env, 'WECHAT_EMULATOR_PORT', fallback) };
}

function secondsOf(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const seconds = Number(raw);
  if (!/^\d+$/.test(raw) || seconds < min || seconds > max) throw new ConfigError(`${name} must be a number of seconds from ${min} to ${max}.`);
  return seconds;
}

function portOf(env: Env, name: string, fallback: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new ConfigError(`${name} must be a port number (0-65535).`);
  return port;
}

function publicUrlOf(raw: string | undefined): string | null {
  const value = nonEmpty(raw);
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('PUBLIC_URL must be an absolute http(s) URL such as https://demo.example.com.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('PUBLIC_URL must use http or https.');
  if (url.pathname !== '/' || url.search || url.hash) throw new ConfigError('PUBLIC_URL must be an origin, without a path (the demo is served at /).');
  return url.origin;
}

/** The demo's default: loopback names on any port, what `pnpm demo` is opened with. */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

function allowedHostsOf(raw: string | undefined): string[] {
  const value = nonEmpty(raw);
  if (value === undefined) return [...DEFAULT_ALLOWED_HOSTS];
  const hosts = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  try {
    // The package's own check of the entries, so the message names the variable at startup.
    allowedHosts(hosts);
  } catch (error) {
    throw new ConfigError(`ALLOWED_HOSTS: ${(error as Error).message}`);
  }
  return hosts;
}

function booleanOf(env: Env, name: string): boolean {
  const value = nonEmpty(env[name])?.toLowerCase();
  if (value === undefined || value === '0' || value === 'false' || value === 'no') return false;
  if (value === '1' || value === 'true' || value === 'yes') return true;
  throw new ConfigError(`${name} must be true or false.`);
}

/** The allowedHosts list the app installs: the configured hosts plus the public URL's host. */
export function effectiveAllowedHosts(config: Pick<DemoConfig, 'allowedHosts'>, publicUrl: string): string[] {
  const own = new URL(publicUrl).hostname;
  return config.allowedHosts.includes(own) ? [...config.allowedHosts] : [...config.allowedHosts, own];
}

function pathOf(raw: string | undefined): string | undefined {
  const value = nonEmpty(raw);
  if (value === undefined) return undefined;
  return isAbsolute(value) ? value : resolve(process.cwd(), value);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
