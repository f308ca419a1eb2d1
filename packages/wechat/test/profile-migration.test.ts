/**
 * `wechat/0002_profile_per_app` on data written under the old model (one row per person,
 * unique unionid): no binding is lost, and the new keys hold afterwards. Runs on SQLite by
 * default and on MariaDB with DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { uniqueViolationColumn } from '@koa-auth/core/internal';
import { createTestDb, type TestDb } from '@koa-auth/core/testing';
import { profilesMigration } from '../src/migrations/0001-profiles.js';
import { profilePerAppMigration } from '../src/migrations/0002-profile-per-app.js';
import { closeAll } from './support/close-all.js';

let db: TestDb;

beforeAll(async () => {
  db = await createTestDb('wechat/profile-migration', [profilesMigration]);
});
afterAll(() => closeAll(() => db?.destroy()));

const now = new Date();
const row = (fields: Record<string, unknown>) => ({ nickname: '', headimgurl: '', privilege: '[]', created_at: now, updated_at: now, ...fields });
const violatesUnique = (query: PromiseLike<unknown>) =>
  Promise.resolve(query).then(
    () => false,
    (error: unknown) => uniqueViolationColumn(error, ['unionid_anchor', 'unionid', 'openid']) !== null,
  );

describe('wechat/0002_profile_per_app', () => {
  it('keeps every row and binding, anchors each person, and lets a person have one row per app', async () => {
    const [w] = await db
      .knex('auth_user')
      .insert({ username: 'w', password: '!', date_joined: now }, ['id'])
      .then((r) => r.map((x) => (typeof x === 'object' ? x.id : x)));
    const [x] = await db
      .knex('auth_user')
      .insert({ username: 'x', password: '!', date_joined: now }, ['id'])
      .then((r) => r.map((x) => (typeof x === 'object' ? x.id : x)));
    await db
      .knex('wechat_profile')
      .insert([
        row({ user_id: w, appid: 'wxWEB', openid: 'oWeb1', unionid: 'uPerson1', nickname: '小明🐱' }),
        row({ user_id: x, appid: 'wxOA', openid: 'oOa2', unionid: null }),
        row({ user_id: null, appid: 'wxWEB', openid: 'oWeb3', unionid: 'uPerson3' }),
      ]);
    // Under the old model a second row of one person is impossible.
    expect(await violatesUnique(db.knex('wechat_profile').insert(row({ user_id: w, appid: 'wxOA', openid: 'oOa1', unionid: 'uPerson1' })))).toBe(true);

    await profilePerAppMigration.up(db.knex);

    const rows = await db.knex('wechat_profile').orderBy('id').select('user_id', 'appid', 'openid', 'unionid', 'unionid_anchor', 'nickname');
    expect(rows).toEqual([
      { user_id: w, appid: 'wxWEB', openid: 'oWeb1', unionid: 'uPerson1', unionid_anchor: 'uPerson1', nickname: '小明🐱' },
      { user_id: x, appid: 'wxOA', openid: 'oOa2', unionid: null, unionid_anchor: null, nickname: '' },
      { user_id: null, appid: 'wxWEB', openid: 'oWeb3', unionid: 'uPerson3', unionid_anchor: 'uPerson3', nickname: '' },
    ]);
    // Now the person's OA identity is a row of its own, sharing the unionid…
    await db.knex('wechat_profile').insert(row({ user_id: w, appid: 'wxOA', openid: 'oOa1', unionid: 'uPerson1' }));
    // …while (appid, openid) stays unique and a person has one anchor.
    expect(await violatesUnique(db.knex('wechat_profile').insert(row({ user_id: x, appid: 'wxOA', openid: 'oOa1', unionid: null })))).toBe(true);
    expect(
      await violatesUnique(
        db.knex('wechat_profile').insert(row({ user_id: x, appid: 'wxMP', openid: 'oMp1', unionid: 'uPerson1', unionid_anchor: 'uPerson1' })),
      ),
    ).toBe(true);

    // Down: back to one row per person (the oldest), the unique unionid restored.
    await profilePerAppMigration.down(db.knex);
    expect(await db.knex('wechat_profile').orderBy('id').select('user_id', 'appid', 'openid')).toEqual([
      { user_id: w, appid: 'wxWEB', openid: 'oWeb1' },
      { user_id: x, appid: 'wxOA', openid: 'oOa2' },
      { user_id: null, appid: 'wxWEB', openid: 'oWeb3' },
    ]);
    expect(await violatesUnique(db.knex('wechat_profile').insert(row({ user_id: w, appid: 'wxOA', openid: 'oOa1', unionid: 'uPerson1' })))).toBe(true);
  });
});
