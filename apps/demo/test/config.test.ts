import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { ConfigError } from '../src/config/config-error.js';
import { defaultDataDir } from '../src/config/paths.js';
import { resolveSecretKey, secretKeyWarning } from '../src/config/secret-key.js';

describe('loadConfig', () => {
  test('safe defaults: SQLite in apps/demo/data, memory store, emulator on PORT+1', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', publicUrl: null, dataDir: defaultDataDir, redisUrl: null, secretKey: null });
    expect(config.databaseUrl).toBe(`sqlite:${join(defaultDataDir, 'demo.db')}`);
    expect(config.wechat).toEqual({ kind: 'emulator', port: 3001 });
    expect(loadConfig({ PORT: '0' }).wechat).toEqual({ kind: 'emulator', port: 0 });
    expect(config.wechatQrTtlSeconds).toBe(300);
    expect(loadConfig({ WECHAT_QR_TTL_SECONDS: '30' }).wechatQrTtlSeconds).toBe(30);
  });

  test('real WeChat needs both the appid and the secret', () => {
    expect(loadConfig({ WECHAT_APPID: 'wx1', WECHAT_SECRET: 's' }).wechat).toEqual({ kind: 'real', appid: 'wx1', secret: 's' });
    expect(() => loadConfig({ WECHAT_APPID: 'wx1' })).toThrow(ConfigError);
  });

  test.each([
    [{ PORT: 'http' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ WECHAT_EMULATOR_PORT: '-1' }, 'WECHAT_EMULATOR_PORT'],
    [{ PUBLIC_URL: 'demo.example.com' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://demo.example.com/app' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'ftp://demo.example.com' }, 'PUBLIC_URL'],
    [{ WECHAT_QR_TTL_SECONDS: '2' }, 'WECHAT_QR_TTL_SECONDS'],
    [{ WECHAT_QR_TTL_SECONDS: 'soon' }, 'WECHAT_QR_TTL_SECONDS'],
  ])('%j is refused, naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(name);
  });

  test('PUBLIC_URL is reduced to its origin', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://Demo.Example.com/' }).publicUrl).toBe('https://demo.example.com');
  });
});

describe('resolveSecretKey', () => {
  test('generates a key file once (owner-only), then reuses it, with a warning each time', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'demo-key-')), 'nested');
    const first = resolveSecretKey(null, dir);
    expect(first.source).toBe('generated');
    expect(first.value.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, 'secret_key')).mode & 0o777).toBe(0o600);
    const second = resolveSecretKey(null, dir);
    expect(second).toMatchObject({ source: 'file', value: first.value });
    expect(readFileSync(join(dir, 'secret_key'), 'utf8').trim()).toBe(first.value);
    expect(secretKeyWarning(second)).toContain('production must set SECRET_KEY');
    // The warning names the file, never the key.
    expect(secretKeyWarning(second)).not.toContain(first.value);
  });

  test('SECRET_KEY wins and must be long enough', () => {
    const key = 'x'.repeat(40);
    expect(resolveSecretKey(key, '/nonexistent')).toEqual({ value: key, source: 'env' });
    expect(secretKeyWarning(resolveSecretKey(key, '/nonexistent'))).toBeNull();
    expect(() => resolveSecretKey('short', '/nonexistent')).toThrow('at least 32');
  });
});
