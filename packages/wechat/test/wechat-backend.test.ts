/**
 * WechatBackend through core's `auth.authenticate`, against the emulator: creating, finding and
 * linking users, unionid/openid keying, refusals, WeChat failures and concurrent first logins.
 * Runs on SQLite by default and on MariaDB with DATABASE_URL.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { backendOf, uniqueViolationColumn } from '@koa-auth/core/internal';
import { MemoryStore, ModelBackend, type Auth, type AuthRequest, type User } from '@koa-auth/core';
import { testAuthOn, createTestDb, type TestDb } from '@koa-auth/core/testing';
import {
  bindWechatLoginTo,
  WechatApiError,
  WechatBackend,
  type FetchLike,
  WechatProfile,
  wechatLoginExistingOnly,
  wechatMigrations,
  wechatProfileIdOf,
  wechatRefusalOf,
} from '@koa-auth/wechat';
import { ALL_APPS, LONE, OA, WEB, WEB2, startWechatEmulator, type EmulatorHarness } from './support/wechat-emulator.js';
import { closeAll } from './support/close-all.js';

let db: TestDb;
let h: EmulatorHarness;
let auth: Auth<User>;
const store = new MemoryStore({ sweepIntervalMs: 0 });

beforeAll(async () => {
  db = await createTestDb('wechat/backend', wechatMigrations);
  h = await startWechatEmulator();
  const backend = new WechatBackend<User>({ apps: ALL_APPS, apiBaseUrl: h.url, openBaseUrl: h.url, client: { retryDelayMs: 5 } });
  auth = testAuthOn<User>(db.knex, { store, backends: [new ModelBackend(), backend] }).auth;
});
afterAll(() =>
  closeAll(
    () => h?.running.close(),
    () => store.close(),
    () => db?.destroy(),
  ),
);
beforeEach(async () => {
  await db.knex('wechat_profile').delete();
  await db.knex('auth_user').delete();
  h.emulator.reset();
});

/** Another auth on the same database whose WeChat client uses `fetch`. */
function authWith(client: { fetch: FetchLike }): Auth<User> {
  const backend = new WechatBackend<User>({ apps: ALL_APPS, apiBaseUrl: h.url, openBaseUrl: h.url, client: { retryDelayMs: 5, ...client } });
  return testAuthOn<User>(db.knex, { store, backends: [backend] }).auth;
}

/** A fetch that holds answers for `path` until `count` of them are in, then releases them at once. */
function barrier(count: number, path: string): FetchLike {
  const held: Array<() => void> = [];
  return async (input, init) => {
    const response = await fetch(input, init);
    if (new URL(input).pathname !== path) return response;
    await new Promise<void>((resolve) => {
      held.push(resolve);
      if (held.length === count) for (const release of held) release();
    });
    return response;
  };
}

/** A code for `user` approving `appid` (as after the consent page), authenticated. */
function login(appid: string, user: string, options: { scope?: string; snapshot?: boolean; request?: AuthRequest } = {}) {
  const code = h.emulator.issueCode({ appid, user, ...(options.scope ? { scope: options.scope } : {}), ...(options.snapshot ? { snapshot: true } : {}) });
  return auth.authenticate(options.request ?? null, { wechatCode: code, appid });
}

/**
 * Whether `query` failed on a unique index. Checked by the driver's error code, not with
 * `instanceof`: native driver errors may come from another realm under jest.
 */
const violatedUnique = (query: PromiseLike<unknown>) =>
  Promise.resolve(query).then(
    () => false,
    (error: unknown) => uniqueViolationColumn(error, ['unionid_anchor', 'openid']) !== null,
  );

const profiles = () => WechatProfile.query(db.knex).orderBy('id');
const emulatorUser = (key: string) => h.emulator.users.find((u) => u.key === key)!;

describe('first and later logins', () => {
  it('creates a user with an unusable password, a generated username and the WeChat nickname (emoji intact)', async () => {
    const user = await login(WEB.appid, 'xiaoming');
    expect(user).not.toBeNull();
    expect(backendOf(user!)).toBe('WechatBackend');
    const stored = (await auth.users.getById(user!.id))!;
    expect(stored).toMatchObject({ nickname: '小明🐱', accountType: 'wechat', avatar: emulatorUser('xiaoming').headimgurl, isActive: true });
    expect(stored.username).toMatch(/^wx_[0-9a-f]{12}$/);
    expect(auth.hashers.isPasswordUsable(stored.password)).toBe(false);

    const [profile, ...rest] = await profiles();
    expect(rest).toHaveLength(0);
    expect(profile).toMatchObject({
      userId: user!.id,
      appid: WEB.appid,
      openid: h.emulator.openidFor(WEB.appid, 'xiaoming'),
      unionid: h.emulator.unionidFor(WEB.appid, 'xiaoming'),
      nickname: '小明🐱',
      privilege: [],
    });
    expect(profile!.createdAt).toBeInstanceOf(Date);
  });

  it('round-trips ZWJ sequences, flags, private-use code points and privileges', async () => {
    for (const key of ['lilei', 'alice', 'laowang']) await login(WEB.appid, key);
    const rows = await profiles();
    expect(rows.map((p) => p.nickname)).toEqual(['李雷👨‍💻', 'Alice 🇬🇧', '老王\uE415']);
    expect(rows[1]!.privilege).toEqual(['chinaunicom']);
    // No avatar: the user gets none rather than an empty string.
    expect((await auth.users.getById(rows[0]!.userId!))!.avatar).toBeNull();
  });

  it('finds the same user on the next login', async () => {
    const first = await login(WEB.appid, 'xiaoming');
    const second = await login(WEB.appid, 'xiaoming');
    expect(second!.id).toBe(first!.id);
    expect(await profiles()).toHaveLength(1);
  });

  it('reaches the same user from another app of the same open platform (unionid), recording one row per app', async () => {
    const first = await login(WEB.appid, 'hanmeimei');
    expect((await login(WEB2.appid, 'hanmeimei'))!.id).toBe(first!.id);
    expect((await login(OA.appid, 'hanmeimei', { scope: 'snsapi_userinfo' }))!.id).toBe(first!.id);
    const rows = await profiles();
    const unionid = h.emulator.unionidFor(WEB.appid, 'hanmeimei');
    expect(rows.map((p) => [p.appid, p.openid, p.unionid, p.userId])).toEqual(
      [WEB, WEB2, OA].map((app) => [app.appid, h.emulator.openidFor(app.appid, 'hanmeimei'), unionid, first!.id]),
    );
    // Only the person's first row is the anchor.
    expect(rows.map((p) => p.unionidAnchor)).toEqual([unionid, null, null]);
    expect((await db.knex('auth_user').count({ n: '*' }))[0]).toMatchObject({ n: 1 });
  });

  it('website QR, then OA snsapi_userinfo, then OA snsapi_base: always the same user (issue 12.1)', async () => {
    const w = (await login(WEB.appid, 'xiaoming'))!;
    expect((await login(OA.appid, 'xiaoming', { scope: 'snsapi_userinfo' }))!.id).toBe(w.id);
    // snsapi_base carries no unionid: found by the OA openid recorded just before.
    for (const scope of ['snsapi_base', 'snsapi_userinfo', 'snsapi_base']) {
      expect((await login(OA.appid, 'xiaoming', { scope }))!.id).toBe(w.id);
    }
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await profiles()).toHaveLength(2);
  });

  it('existing users only: an unknown identity is refused and nothing is stored; a known one logs in', async () => {
    const request: AuthRequest = {};
    wechatLoginExistingOnly(request);
    expect(await login(OA.appid, 'alice', { scope: 'snsapi_base', request })).toBeNull();
    expect(wechatRefusalOf(request)?.code).toBe('unknown_identity');
    expect(await profiles()).toHaveLength(0);
    const alice = (await login(OA.appid, 'alice', { scope: 'snsapi_userinfo' }))!;
    const again: AuthRequest = {};
    wechatLoginExistingOnly(again);
    expect((await login(OA.appid, 'alice', { scope: 'snsapi_base', request: again }))!.id).toBe(alice.id);
  });

  it('keys an app without unionid on appid + openid', async () => {
    const first = await login(LONE.appid, 'xiaoming');
    expect((await login(LONE.appid, 'xiaoming'))!.id).toBe(first!.id);
    const [profile] = await profiles();
    expect(profile).toMatchObject({ appid: LONE.appid, unionid: null });
    // Without a unionid nothing ties it to the same person in another app.
    expect((await login(WEB.appid, 'xiaoming'))!.id).not.toBe(first!.id);
  });

  it('back-fills the unionid when it first appears (OA snsapi_base, then snsapi_userinfo)', async () => {
    const base = await login(OA.appid, 'lilei', { scope: 'snsapi_base' });
    expect((await profiles())[0]).toMatchObject({ unionid: null, nickname: '' });
    const full = await login(OA.appid, 'lilei', { scope: 'snsapi_userinfo' });
    expect(full!.id).toBe(base!.id);
    expect((await profiles())[0]).toMatchObject({ unionid: h.emulator.unionidFor(OA.appid, 'lilei'), nickname: '李雷👨‍💻' });
    // …which now leads the website app to the same user.
    expect((await login(WEB.appid, 'lilei'))!.id).toBe(base!.id);
  });

  it('refreshes nickname and avatar, but never overwrites what the user changed on the site', async () => {
    const user = (await login(WEB.appid, 'alice'))!;
    const alice = emulatorUser('alice');
    const original = { nickname: alice.nickname, headimgurl: alice.headimgurl };
    try {
      alice.nickname = 'Alice 🐝';
      alice.headimgurl = 'https://thirdwx.qlogo.cn/mmopen/vi_32/new/132';
      await login(WEB.appid, 'alice');
      expect((await profiles())[0]).toMatchObject({ nickname: 'Alice 🐝', headimgurl: alice.headimgurl });
      expect(await auth.users.getById(user.id)).toMatchObject({ nickname: 'Alice 🐝', avatar: alice.headimgurl });

      await auth.users.updateUser((await auth.users.getById(user.id))!, { nickname: 'Ali' });
      alice.nickname = 'Alice 🦋';
      await login(WEB.appid, 'alice');
      expect((await profiles())[0]!.nickname).toBe('Alice 🦋');
      expect((await auth.users.getById(user.id))!.nickname).toBe('Ali');
    } finally {
      Object.assign(alice, original);
    }
  });
});

describe('refusals', () => {
  it('refuses snapshot-mode users, stores nothing and never reports the code', async () => {
    const failures: unknown[] = [];
    const off = auth.events.on('userLoginFailed', (payload) => void failures.push(payload.credentials));
    try {
      const request: AuthRequest = {};
      expect(await login(OA.appid, 'xiaoming', { scope: 'snsapi_userinfo', snapshot: true, request })).toBeNull();
      expect(wechatRefusalOf(request)?.code).toBe('snapshot_user');
      expect(await profiles()).toHaveLength(0);
      expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 0 }]);
      expect(failures).toEqual([{ wechatCode: expect.stringMatching(/^\*+$/), appid: OA.appid }]);
    } finally {
      off();
    }
  });

  it('refuses inactive users', async () => {
    const user = (await login(WEB.appid, 'xiaoming'))!;
    await db.knex('auth_user').where({ id: user.id }).update({ is_active: false });
    const request: AuthRequest = {};
    expect(await login(WEB.appid, 'xiaoming', { request })).toBeNull();
    expect(wechatRefusalOf(request)?.code).toBe('inactive_user');
  });

  it('refuses an appid that is not configured', async () => {
    const request: AuthRequest = {};
    expect(await auth.authenticate(request, { wechatCode: 'x'.repeat(32), appid: 'wx00000000000000ff' })).toBeNull();
    expect(wechatRefusalOf(request)?.code).toBe('unknown_app');
  });
});

describe('WeChat failures', () => {
  it('retries errcode -1 on userinfo', async () => {
    h.emulator.knobs.failNext('userinfo', 1);
    expect(await login(WEB.appid, 'xiaoming')).not.toBeNull();
  });

  it('throws WechatApiError for a bad code, without the code in it', async () => {
    const code = 'Z'.repeat(32);
    const error = await auth.authenticate({}, { wechatCode: code, appid: WEB.appid }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatApiError);
    expect((error as WechatApiError).errcode).toBe(40029);
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message, stack: (error as Error).stack })).not.toContain(code);
  });
});

describe('binding only through an explicit bind flow', () => {
  it('links a WeChat identity seen for the first time to the binding user', async () => {
    const owner = await auth.users.createUser({ username: 'owner', password: 'correct horse battery staple' });
    const request: AuthRequest = { getUser: async () => owner };
    bindWechatLoginTo(request, owner);
    const user = await login(WEB.appid, 'hanmeimei', { request });
    expect(user!.id).toBe(owner.id);
    const [profile] = await profiles();
    expect(profile!.userId).toBe(owner.id);
    expect(wechatProfileIdOf(request)).toBe(profile!.id);
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('a login while someone is logged in never links to them (issue 12.2)', async () => {
    const owner = await auth.users.createUser({ username: 'owner', password: 'correct horse battery staple' });
    const user = (await login(OA.appid, 'hanmeimei', { scope: 'snsapi_base', request: { getUser: async () => owner } }))!;
    expect(user.id).not.toBe(owner.id);
    expect(await WechatProfile.query(db.knex).where('user_id', owner.id)).toHaveLength(0);
  });

  it('binding a person already linked through another app resolves to its owner and records nothing', async () => {
    const wechatUser = (await login(WEB.appid, 'hanmeimei'))!;
    const other = await auth.users.createUser({ username: 'other', password: 'correct horse battery staple' });
    const request: AuthRequest = {};
    bindWechatLoginTo(request, other);
    expect((await login(OA.appid, 'hanmeimei', { scope: 'snsapi_userinfo', request }))!.id).toBe(wechatUser.id);
    expect(await profiles()).toHaveLength(1);
  });

  it('a linked identity logs in its own user whoever is logged in (the bind flow refuses that case)', async () => {
    const wechatUser = await login(WEB.appid, 'hanmeimei');
    const other = await auth.users.createUser({ username: 'other', password: 'correct horse battery staple' });
    expect((await login(WEB.appid, 'hanmeimei', { request: { getUser: async () => other } }))!.id).toBe(wechatUser!.id);
  });
});

describe('concurrency', () => {
  it('20 concurrent first logins of one person create exactly one user and one profile', async () => {
    // All 20 userinfo answers are held until the 20th arrives, then released together: every
    // login reaches the database at the same moment, before any has created anything.
    const racing = authWith({ fetch: barrier(20, '/sns/userinfo') });
    const codes = Array.from({ length: 20 }, () => h.emulator.issueCode({ appid: WEB.appid, user: 'laowang' }));
    const users = await Promise.all(codes.map((wechatCode) => racing.authenticate({}, { wechatCode, appid: WEB.appid })));
    const ids = new Set(users.map((u) => u?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toEqual(expect.any(Number));
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await profiles()).toHaveLength(1);
  });

  it('20 concurrent first logins of one person through two apps create one user and one row per app', async () => {
    // Someone already holds the deterministic username: only the unionid anchor can keep the
    // racers from founding two accounts (they all fall back to random usernames).
    const unionid = h.emulator.unionidFor(WEB.appid, 'alice');
    const squatter = `wx_${createHash('sha256').update(`unionid:${unionid}`).digest('hex').slice(0, 12)}`;
    await auth.users.createUser({ username: squatter, password: 'correct horse battery staple' });
    const racing = authWith({ fetch: barrier(20, '/sns/userinfo') });
    const logins = Array.from({ length: 20 }, (_, i) => {
      const appid = i % 2 === 0 ? WEB.appid : OA.appid;
      const wechatCode = h.emulator.issueCode({ appid, user: 'alice', ...(appid === OA.appid ? { scope: 'snsapi_userinfo' } : {}) });
      return racing.authenticate({}, { wechatCode, appid });
    });
    const ids = new Set((await Promise.all(logins)).map((u) => u?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toEqual(expect.any(Number));
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 2 }]);
    expect((await profiles()).map((p) => p.appid).sort()).toEqual([WEB.appid, OA.appid].sort());
  });

  it('the unique indexes hold: (appid, openid) and the unionid anchor; unionid is shared by a person’s rows', async () => {
    const row = { appid: 'wxA', openid: 'oA', nickname: '', headimgurl: '', privilege: [], createdAt: new Date(), updatedAt: new Date() };
    await WechatProfile.query(db.knex).insert({ ...row, unionid: 'u1', unionidAnchor: 'u1' });
    await WechatProfile.query(db.knex).insert({ ...row, openid: 'oB', unionid: null });
    await WechatProfile.query(db.knex).insert({ ...row, openid: 'oC', unionid: null });
    // Case matters: openids are case-sensitive (binary collation on MySQL).
    await WechatProfile.query(db.knex).insert({ ...row, openid: 'oa', unionid: 'U1', unionidAnchor: 'U1' });
    // Another app of the same person: same unionid, no anchor.
    await WechatProfile.query(db.knex).insert({ ...row, appid: 'wxB', unionid: 'u1' });
    expect(await violatedUnique(WechatProfile.query(db.knex).insert({ ...row, unionid: null }))).toBe(true);
    expect(await violatedUnique(WechatProfile.query(db.knex).insert({ ...row, openid: 'oD', unionid: 'u1', unionidAnchor: 'u1' }))).toBe(true);
    expect(await WechatProfile.query(db.knex)).toHaveLength(5);
  });
});
