/**
 * WeChat misbehaving during a QR login: errcode -1 ("system busy"), answers slower than the
 * client's timeout, truncated JSON, and JSON labelled text/plain. The emulator plays WeChat and
 * calls our callback itself, as the browser redirected by WeChat would. For every failure: the
 * callback answers promptly with a clear page, no user or profile is created, the QR state ends
 * in `error` with a reason (never stuck in `pending`), and completing it reports that reason.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WechatClient, wechatMigrations } from '@koa-auth/wechat';
import type { ApiEndpoint, FaultKind, KnobsPatch, PhoneActionResult } from '@koa-auth/wechat-emulator';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import type { TestClient } from '@koa-auth/koa/testing';
import { WEB, startWechatEmulator, type EmulatorHarness } from '../../packages/wechat/test/support/wechat-emulator.js';
import { startFullApp, type FullApp } from '../helpers/full-app.js';
import { sleep } from '../helpers/processes.js';

/** The WeChat client's per-attempt timeout in this app. */
const TIMEOUT_MS = 400;

let db: TestDb;
let stores: TestStores;
let h: EmulatorHarness;
let app: FullApp;

beforeAll(async () => {
  db = await createTestDb('faults/wechat-faults', wechatMigrations);
  stores = new TestStores('faults-wechat');
  h = await startWechatEmulator();
  app = await startFullApp({
    knex: db.knex,
    store: stores.open(),
    emulatorUrl: h.url,
    wechatClient: { timeoutMs: TIMEOUT_MS, retries: 2, retryDelayMs: 5 },
    // Errors are the point here; keep the report quiet.
    qr: { onError: () => undefined },
  });
});
afterAll(async () => {
  await app?.close();
  await h?.running.close();
  await stores?.close();
  await db?.destroy();
});
beforeEach(async () => {
  await db.knex('wechat_profile').delete();
  await db.knex('auth_user').delete();
  h.emulator.reset();
});

async function rowCounts(): Promise<{ users: number; profiles: number }> {
  const [users] = await db.knex('auth_user').count({ n: '*' });
  const [profiles] = await db.knex('wechat_profile').count({ n: '*' });
  return { users: Number(users?.n), profiles: Number(profiles?.n) };
}

interface Attempt {
  browser: TestClient;
  state: string;
  phone: PhoneActionResult;
  callbackMs: number;
  page: { status: number; text: string };
}

/** Start a QR login, then the phone confirms and WeChat redirects to our callback. */
async function attemptLogin(): Promise<Attempt> {
  const browser = app.client();
  const started = await browser.mutation('wechat.start', {});
  expect(started.status).toBe(200);
  const { state } = started.data as { state: string };
  expect((await browser.query('wechat.status', { state })).data).toMatchObject({ status: 'pending' });
  // The callback is requested by us (not by the emulator) so its answer and timing are ours.
  const phone = await h.emulator.phone({ appid: WEB.appid, redirect_uri: app.callbackUrl, state, user: 'xiaoming' });
  const startedAt = Date.now();
  const response = await fetch(phone.redirectUrl!, { redirect: 'manual' });
  const page = { status: response.status, text: await response.text() };
  return { browser, state, phone, callbackMs: Date.now() - startedAt, page };
}

interface FaultCase {
  name: string;
  knobs?: KnobsPatch;
  faults?: Array<[ApiEndpoint, number, FaultKind]>;
  reason: { code: string; errcode?: number };
}

const FAULTS: FaultCase[] = [
  {
    name: 'access_token answers errcode -1 (codes are never retried)',
    faults: [['access_token', 1, 'system_error']],
    reason: { code: 'wechat_api_error', errcode: -1 },
  },
  { name: 'userinfo answers errcode -1 beyond the retries', faults: [['userinfo', 3, 'system_error']], reason: { code: 'wechat_api_error', errcode: -1 } },
  { name: 'access_token answers after the timeout', knobs: { latencyMs: { access_token: TIMEOUT_MS * 4 } }, reason: { code: 'wechat_timeout' } },
  { name: 'userinfo answers after the timeout', knobs: { latencyMs: { userinfo: TIMEOUT_MS * 4 } }, reason: { code: 'wechat_timeout' } },
  { name: 'access_token answers malformed JSON', faults: [['access_token', 1, 'malformed_json']], reason: { code: 'wechat_invalid_response' } },
  { name: 'userinfo answers malformed JSON', faults: [['userinfo', 1, 'malformed_json']], reason: { code: 'wechat_invalid_response' } },
  {
    name: 'malformed JSON labelled text/plain',
    knobs: { contentType: 'text/plain' },
    faults: [['access_token', 1, 'malformed_json']],
    reason: { code: 'wechat_invalid_response' },
  },
];

describe('WeChat faults during a QR login', () => {
  it.each(FAULTS)('$name: a clear error, no user, the state ends in `error`', async (fault) => {
    if (fault.knobs) h.emulator.knobs.set(fault.knobs);
    for (const [endpoint, times, kind] of fault.faults ?? []) h.emulator.knobs.failNext(endpoint, times, kind);

    const begun = Date.now();
    const { browser, state, phone, callbackMs, page } = await attemptLogin();

    // The callback answered with a "login failed" page, promptly (one timeout at most, not
    // WeChat's full delay), naming no code or token.
    expect(page.status).toBe(502);
    expect(page.text).toContain('Login failed');
    expect(page.text).toMatch(/WeChat/);
    expect(page.text).not.toContain(phone.codes[0]!);
    expect(callbackMs).toBeLessThan(TIMEOUT_MS * 3 + 1000);

    // Nothing was stored.
    expect(await rowCounts()).toEqual({ users: 0, profiles: 0 });

    // The state is `error` with the reason, not `pending` — and stays so.
    const view = (await browser.query('wechat.status', { state })).data;
    expect(view).toMatchObject({ status: 'error', reason: { ...fault.reason, message: expect.stringMatching(/WeChat/) } });
    await sleep(250);
    expect((await browser.query('wechat.status', { state })).data).toMatchObject({ status: 'error' });

    // Completing it reports the reason once; nobody is logged in; the state is then gone.
    const completed = await browser.mutation('wechat.complete', { state });
    expect(completed.status).toBe(400);
    expect(completed.error?.data.fieldErrors?.state?.[0]?.code).toBe(fault.reason.code);
    expect((await browser.query('auth.me')).data).toBeNull();
    expect((await browser.query('wechat.status', { state })).data).toEqual({ status: 'expired' });
    expect(await rowCounts()).toEqual({ users: 0, profiles: 0 });

    // The emulator still owes the late answer: it sleeps first, then takes the next queued fault.
    // Wait it out, or on a slow machine it takes the fault the next case queues (and that case's
    // own request then succeeds).
    const latencies = Object.values(fault.knobs?.latencyMs ?? {});
    if (latencies.length > 0) await sleep(Math.max(0, begun + Math.max(...latencies) + 100 - Date.now()));
  });

  it('a replayed callback after a failure changes nothing (no second exchange, still no user)', async () => {
    h.emulator.knobs.failNext('access_token', 1, 'system_error');
    const { browser, state, phone } = await attemptLogin();
    const again = await fetch(phone.redirectUrl!, { redirect: 'manual' });
    expect(again.status).toBe(502);
    expect(await rowCounts()).toEqual({ users: 0, profiles: 0 });
    expect((await browser.query('wechat.status', { state })).data).toMatchObject({ status: 'error' });
    // errcode -1 means WeChat did not process the exchange, and the replay exchanged nothing:
    // the code is still redeemable.
    const direct = new WechatClient({ ...WEB, apiBaseUrl: h.url, openBaseUrl: h.url });
    await expect(direct.exchangeCode(phone.codes[0]!)).resolves.toMatchObject({ openid: expect.any(String) });
  });

  it('userinfo errcode -1 within the retries is absorbed: the login succeeds', async () => {
    h.emulator.knobs.failNext('userinfo', 2, 'system_error');
    const { browser, state, page } = await attemptLogin();
    expect(page.status).toBe(200);
    expect((await browser.query('wechat.status', { state })).data).toMatchObject({ status: 'confirmed' });
    expect((await browser.mutation('wechat.complete', { state })).status).toBe(200);
    expect(await rowCounts()).toEqual({ users: 1, profiles: 1 });
  });

  it('valid JSON labelled text/plain (as WeChat really sends it) is accepted: the login succeeds', async () => {
    h.emulator.knobs.set({ contentType: 'text/plain' });
    const { browser, state, page } = await attemptLogin();
    expect(page.status).toBe(200);
    const completed = await browser.mutation('wechat.complete', { state });
    expect(completed.data).toMatchObject({ mode: 'login' });
    expect((await browser.query('auth.me')).data).toMatchObject({ nickname: '小明🐱', accountType: 'wechat' });
    expect(await rowCounts()).toEqual({ users: 1, profiles: 1 });
  });
});
