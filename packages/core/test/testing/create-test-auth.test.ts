/**
 * @koa-auth/core/testing's createTestAuth: one call gives a working auth on a migrated database
 * of its own, with cheap counted hashing, and close() releases what it made (and only that).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { MemoryStore, ModelBackend } from '@koa-auth/core';
import { createTestAuth, createTestDb, testAuthOn, TEST_SECRET, type TestAuth } from '@koa-auth/core/testing';

const PASSWORD = 'correct horse battery staple';
let made: TestAuth | undefined;

afterEach(async () => {
  await made?.close();
  made = undefined;
});

describe('createTestAuth', () => {
  it('is ready to use: users are created and authenticated on its migrated database', async () => {
    made = await createTestAuth({ name: 'testing/create-test-auth' });
    const { auth, counter, knex } = made;
    const alice = await auth.users.createUser({ username: 'alice', password: PASSWORD });
    expect(await knex('auth_user').where({ id: alice.id }).first('username')).toEqual({ username: 'alice' });
    counter.reset();
    expect((await auth.authenticate(null, { username: 'alice', password: PASSWORD }))?.id).toBe(alice.id);
    expect(await auth.authenticate(null, { username: 'alice', password: 'wrong password' })).toBeNull();
    // Real hashing, counted: one verification per attempt.
    expect(counter.verifies).toBe(2);
    expect(auth.store).toBe(made.store);
    expect(auth.store).toBeInstanceOf(MemoryStore);
  });

  it('passes createAuth options through', async () => {
    const backend = new ModelBackend();
    made = await createTestAuth({ name: 'testing/options', backends: [backend], phoneRegion: 'GB' });
    expect(made.auth.backends).toEqual([backend]);
    expect(made.auth.phoneRegion).toBe('GB');
  });

  it('gives each call a database of its own', async () => {
    made = await createTestAuth({ name: 'testing/first' });
    const other = await createTestAuth({ name: 'testing/second' });
    try {
      await made.auth.users.createUser({ username: 'only-in-first', password: PASSWORD });
      expect(await other.knex('auth_user').count({ n: '*' }).first()).toEqual({ n: 0 });
    } finally {
      await other.close();
    }
  });

  it('close() destroys its database and closes the store it made, but not a store passed in', async () => {
    const own = await createTestAuth({ name: 'testing/close-own' });
    await own.store.set('k', 'v');
    await own.close();
    await expect(own.knex('auth_user').first()).rejects.toThrow();

    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const given = await createTestAuth({ name: 'testing/close-given', store });
    expect(given.auth.store).toBe(store);
    await given.close();
    await store.set('still', 'open');
    expect(await store.get('still')).toBe('open');
    await store.close();
  });
});

describe('testAuthOn', () => {
  it('builds several auths on one database (e.g. before and after a secret rotation)', async () => {
    const db = await createTestDb('testing/auth-on');
    try {
      const old = testAuthOn(db.knex).auth;
      const rotated = testAuthOn(db.knex, { secret: 'n'.repeat(40), secretFallbacks: [TEST_SECRET] }).auth;
      const bob = await old.users.createUser({ username: 'bob', password: PASSWORD });
      expect((await rotated.authenticate(null, { username: 'bob', password: PASSWORD }))?.id).toBe(bob.id);
      expect(rotated.verifySessionAuthHash(bob, old.sessionAuthHash(bob))).toBe(true);
      expect(testAuthOn(db.knex, { secret: 'm'.repeat(40) }).auth.verifySessionAuthHash(bob, old.sessionAuthHash(bob))).toBe(false);
    } finally {
      await db.destroy();
    }
  });
});
