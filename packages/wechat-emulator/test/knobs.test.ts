/** Knobs and the emulator-only control API: fault injection, latency, Content-Type, reset, users file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createWechatEmulator, parseUsers } from '../src/index.js';
import { WEBSITE, api, postJson, startEmulator, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startEmulator({ knobs: { latencyMs: { auth: 5 } } });
});
afterAll(() => h.running.close());
beforeEach(() => h.emulator.reset());

const exchangeParams = (code: string) => ({ appid: WEBSITE.appid, secret: WEBSITE.secret, code, grant_type: 'authorization_code' });
const newCode = () => h.emulator.issueCode({ appid: WEBSITE.appid, user: 'xiaoming' });

describe('fault injection', () => {
  it('failNext answers errcode -1 for the next N calls without consuming the code', async () => {
    h.emulator.knobs.failNext('access_token', 2);
    const code = newCode();
    for (let i = 0; i < 2; i++) {
      const { status, body } = await api(h.url, '/sns/oauth2/access_token', exchangeParams(code));
      expect(status).toBe(200);
      expect(body).toEqual({ errcode: -1, errmsg: expect.stringMatching(/^system error, rid: /) });
    }
    expect((await api(h.url, '/sns/oauth2/access_token', exchangeParams(code))).body.access_token).toBeDefined();
  });

  it('POST /__emulator/faults queues faults over HTTP; malformed_json truncates the body but the code is spent', async () => {
    const queued = await postJson(`${h.url}/__emulator/faults`, { endpoint: 'access_token', times: 1, kind: 'malformed_json' });
    expect(queued.body.faults).toMatchObject({ access_token: ['malformed_json'] });
    const code = newCode();
    const response = await fetch(`${h.url}/sns/oauth2/access_token?${new URLSearchParams(exchangeParams(code))}`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow();
    expect((await api(h.url, '/sns/oauth2/access_token', exchangeParams(code))).body.errcode).toBe(40163);
  });

  it('rejects unknown endpoints and knobs with 400', async () => {
    expect((await postJson(`${h.url}/__emulator/faults`, { endpoint: 'token' })).status).toBe(400);
    const bad = await postJson(`${h.url}/__emulator/knobs`, { nope: true }, 'PATCH');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
  });
});

describe('runtime knobs', () => {
  it('PATCH /__emulator/knobs switches API answers to text/plain', async () => {
    const patched = await postJson(`${h.url}/__emulator/knobs`, { contentType: 'text/plain' }, 'PATCH');
    expect(patched.body.contentType).toBe('text/plain');
    const { contentType, body } = await api(h.url, '/sns/oauth2/access_token', exchangeParams(newCode()));
    expect(contentType).toBe('text/plain');
    expect(body.access_token).toBeDefined();
  });

  it('latency set at construction and at runtime delays the endpoint', async () => {
    expect(h.emulator.knobs.get().latencyMs.auth).toBe(5);
    h.emulator.knobs.set({ latencyMs: { userinfo: 150 } });
    const started = performance.now();
    await api(h.url, '/sns/userinfo', { access_token: 'x', openid: 'y' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(h.emulator.knobs.get().latencyMs.auth).toBe(5);
  });

  it('reset restores construction knobs, clears codes and the clock offset', async () => {
    const code = newCode();
    h.emulator.knobs.set({ contentType: 'text/plain', latencyMs: { auth: 0 } });
    await postJson(`${h.url}/__emulator/clock`, { advanceSeconds: 3600 });
    expect((await postJson(`${h.url}/__emulator/reset`, {})).body).toEqual({ ok: true });
    expect(h.emulator.knobs.get()).toMatchObject({ contentType: 'application/json; encoding=utf-8', latencyMs: { auth: 5 } });
    expect(Math.abs(h.emulator.clock.now() - Date.now())).toBeLessThan(1000);
    expect((await api(h.url, '/sns/oauth2/access_token', exchangeParams(code))).body.errcode).toBe(40029);
  });
});

describe('control API', () => {
  it('GET /__emulator lists apps (without secrets), users and knobs', async () => {
    const response = await fetch(`${h.url}/__emulator`);
    const text = await response.text();
    expect(text).not.toContain(WEBSITE.secret);
    const overview = JSON.parse(text) as { apps: Array<{ appid: string }>; users: Array<{ nickname: string }> };
    expect(overview.apps.map((app) => app.appid)).toContain(WEBSITE.appid);
    expect(overview.users.map((user) => user.nickname)).toContain('小明🐱');
  });

  it('POST /__emulator/codes mints a code', async () => {
    const { body } = await postJson(`${h.url}/__emulator/codes`, { appid: WEBSITE.appid, user: 'alice' });
    const exchanged = await api(h.url, '/sns/oauth2/access_token', exchangeParams(body.code as string));
    expect(exchanged.body.openid).toBe(h.emulator.openidFor(WEBSITE.appid, 'alice'));
  });

  it('POST /__emulator/clock moves time forward', async () => {
    const code = newCode();
    const { body } = await postJson(`${h.url}/__emulator/clock`, { advanceSeconds: 600 });
    expect(typeof body.now).toBe('string');
    expect((await api(h.url, '/sns/oauth2/access_token', exchangeParams(code))).body.errcode).toBe(40029);
  });
});

describe('users file', () => {
  it('loads users (array or { users }) with defaults for omitted fields', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wechat-emulator-'));
    const file = join(dir, 'users.json');
    writeFileSync(file, JSON.stringify({ users: [{ key: 'zhang', nickname: '张三🐼' }] }));
    const emulator = createWechatEmulator({ usersFile: file });
    expect(emulator.users).toEqual([
      { key: 'zhang', nickname: '张三🐼', sex: 0, province: '', city: '', country: '', headimgurl: '', privilege: [], language: 'zh_CN' },
    ]);
  });

  it('rejects invalid files and duplicate keys with a clear message', () => {
    expect(() => parseUsers('[{"nickname":"x"}]')).toThrow(/invalid/);
    expect(() => parseUsers('not json')).toThrow(/not valid JSON/);
    expect(() => parseUsers('[{"key":"a","nickname":"x"},{"key":"a","nickname":"y"}]')).toThrow(/twice/);
  });
});
