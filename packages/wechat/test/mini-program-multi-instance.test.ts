/**
 * The Mini Program's app access token across instances: two apps sharing one key-value store
 * (Redis with REDIS_URL, else one MemoryStore) and one database, as behind a load balancer, with
 * one emulator as WeChat. 50 concurrent phone bindings through both make exactly ONE
 * stable_token call; a token WeChat rejects is renewed in normal mode first, force-refreshed
 * only when normal mode hands back the same token, and never more often than WeChat allows.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DEFAULT_USERS, type EmulatorUser } from '@koa-auth/wechat-emulator';
import { wechatMigrations } from '@koa-auth/wechat';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import { closeAll } from './support/close-all.js';
import { startWechatApp, type WechatTestApp } from './support/wechat-app.js';
import { MINI, startWechatEmulator, type EmulatorHarness } from './support/wechat-emulator.js';

const USERS: EmulatorUser[] = Array.from({ length: 50 }, (_, i) => ({
  ...DEFAULT_USERS[0]!,
  key: `mp${i}`,
  nickname: `用户${i}`,
  phone: { countryCode: '86', number: `139${String(i).padStart(8, '0')}` },
}));

let db: TestDb;
let stores: TestStores;
let h: EmulatorHarness;
let a: WechatTestApp;
let b: WechatTestApp;
/** Access token per user, from logging in (alternately through a and b). */
const tokens = new Map<string, string>();

beforeAll(async () => {
  // 50 logins, one after another, on MariaDB + Redis when configured.
  db = await createTestDb('wechat/mini-program-multi-instance', wechatMigrations);
  stores = new TestStores('mini-program-multi-instance');
  h = await startWechatEmulator({ users: USERS });
  a = await startWechatApp({ db, store: stores.open(), emulatorUrl: h.url });
  b = await startWechatApp({ db, store: stores.open(), emulatorUrl: h.url });
  for (const [i, user] of USERS.entries()) {
    const code = h.emulator.issueCode({ appid: MINI.appid, user: user.key, kind: 'miniprogram-login' });
    const result = await (i % 2 ? b : a).client().mutation('wechat.miniProgram.login', { code });
    expect(result.status).toBe(200);
    tokens.set(user.key, (result.data as { tokens: { accessToken: string } }).tokens.accessToken);
  }
}, 120_000);
afterAll(() =>
  closeAll(
    () => a?.close(),
    () => b?.close(),
    () => h?.running.close(),
    () => stores.close(),
    () => db?.destroy(),
  ),
);
beforeEach(() => {
  // Counters only: codes, tokens and the clock stay (the apps' cached token must stay valid at WeChat).
  h.emulator.knobs.reset();
});

/** bindPhone for `user` through `site`, with a fresh phone code. */
function bindPhone(site: WechatTestApp, user: string) {
  const code = h.emulator.issueCode({ appid: MINI.appid, user, kind: 'phone-number' });
  return site.client().mutation('wechat.miniProgram.bindPhone', { code }, { headers: { authorization: `Bearer ${tokens.get(user)!}` } });
}

describe('the shared app access token', () => {
  it('50 concurrent phone bindings through two instances make exactly one stable_token call', async () => {
    const before = h.emulator.calls();
    expect(before.stable_token).toBe(0);
    const results = await Promise.all(USERS.map((user, i) => bindPhone(i % 2 ? b : a, user.key)));
    expect(results.map((r) => r.status)).toEqual(USERS.map(() => 200));
    expect(results.map((r) => (r.data as { phone: string }).phone)).toEqual(USERS.map((user) => `+86${user.phone!.number}`));
    const after = h.emulator.calls();
    expect(after.stable_token).toBe(1);
    expect(after.getuserphonenumber - before.getuserphonenumber).toBe(50);
    // 50 phone updates on MariaDB on a loaded CI machine can take a while.
  }, 90_000);

  it('a token replaced by someone else’s force_refresh (40001) is renewed in normal mode, without forcing', async () => {
    await bindPhone(a, 'mp0');
    const external = await fetch(`${h.url}/cgi-bin/stable_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: MINI.appid, secret: MINI.secret, force_refresh: true }),
    });
    expect(((await external.json()) as { access_token?: string }).access_token).toBeDefined();
    const before = h.emulator.calls();
    const [first, second] = await Promise.all([bindPhone(b, 'mp1'), bindPhone(a, 'mp2')]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const after = h.emulator.calls();
    expect(after.stable_token - before.stable_token).toBe(1);
    expect(after.stable_token_force_refresh - before.stable_token_force_refresh).toBe(0);
  });

  it('an expired token (42001) is renewed in normal mode', async () => {
    await bindPhone(a, 'mp5');
    h.emulator.clock.advance(7200);
    const before = h.emulator.calls();
    expect((await bindPhone(b, 'mp5')).status).toBe(200);
    const after = h.emulator.calls();
    expect(after.stable_token - before.stable_token).toBe(1);
    expect(after.stable_token_force_refresh).toBe(before.stable_token_force_refresh);
  });

  it('a token WeChat rejects while normal mode still returns it is force-refreshed once, then no more than every 30 s (503)', async () => {
    await bindPhone(a, 'mp3');
    // WeChat's own 30 s between force refreshes (an earlier test forced one).
    h.emulator.clock.advance(30);
    h.emulator.knobs.failNext('getuserphonenumber', 1, 'invalid_credential');
    const before = h.emulator.calls();
    expect((await bindPhone(b, 'mp3')).status).toBe(200);
    const forced = h.emulator.calls();
    expect(forced.stable_token - before.stable_token).toBe(2);
    expect(forced.stable_token_force_refresh - before.stable_token_force_refresh).toBe(1);

    // Rejected again within 30 s: normal mode returns the same token and no force is allowed.
    h.emulator.knobs.failNext('getuserphonenumber', 1, 'invalid_credential');
    const refused = await bindPhone(a, 'mp4');
    expect(refused.status).toBe(503);
    const afterRefusal = h.emulator.calls();
    expect(afterRefusal.stable_token - forced.stable_token).toBe(1);
    expect(afterRefusal.stable_token_force_refresh).toBe(forced.stable_token_force_refresh);

    // Concurrent rejections share one renewal (single-flight), and still no force.
    h.emulator.knobs.failNext('getuserphonenumber', 4, 'invalid_credential');
    const burst = await Promise.all([bindPhone(a, 'mp6'), bindPhone(b, 'mp7'), bindPhone(a, 'mp8'), bindPhone(b, 'mp9')]);
    expect(burst.map((r) => r.status)).toEqual([503, 503, 503, 503]);
    expect(h.emulator.calls().stable_token).toBe(afterRefusal.stable_token);
    expect(h.emulator.calls().stable_token_force_refresh).toBe(forced.stable_token_force_refresh);

    // The token itself still works: without a rejection the binding goes through.
    expect((await bindPhone(b, 'mp4')).status).toBe(200);
  });
});
