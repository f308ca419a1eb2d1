/**
 * Django's PasswordResetForm and PasswordResetConfirmView, transport-free: who gets a link, what
 * the link is, and what confirming it does.
 */
import { ImproperlyConfigured, ValidationError } from '../../src/errors.js';
import { MemoryMailSender } from '../../src/mail/memory-mail-sender.js';
import type { MailMessage, MailSender } from '../../src/mail/mail-sender.js';
import { confirmPasswordReset } from '../../src/password-reset/confirm-password-reset.js';
import { passwordResetLinkUser } from '../../src/password-reset/password-reset-link.js';
import { passwordResetPageUrl } from '../../src/password-reset/password-reset-page.js';
import { requestPasswordReset } from '../../src/password-reset/request-password-reset.js';
import { createTestDb, testAuthOn, type TestDb } from '@koa-auth/core/testing';

const PASSWORD = 'correct horse battery staple';
const PAGE = 'https://example.com/reset-password';
let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('password-reset/flow');
});
afterAll(async () => {
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
});

const setup = () => testAuthOn(db.knex).auth;

function linkIn(message: MailMessage): URL {
  const match = /https?:\/\/\S+/.exec(message.text);
  if (!match) throw new Error(`no link in ${message.text}`);
  return new URL(match[0]);
}

describe('requestPasswordReset', () => {
  it('mails the account a link on the page URL whose uid and token designate it', async () => {
    const auth = setup();
    const alice = await auth.users.createUser({ username: 'alice', email: 'alice@example.com', password: PASSWORD });
    const mailer = new MemoryMailSender();
    await (await requestPasswordReset(auth, { email: 'ALICE@Example.com', mailer, pageUrl: PAGE })).delivered;
    expect(mailer.outbox).toHaveLength(1);
    const [mail] = mailer.outbox;
    expect(mail).toMatchObject({ to: 'alice@example.com', subject: 'Password reset' });
    expect(mail!.text).toContain('alice');
    const link = linkIn(mail!);
    expect(`${link.origin}${link.pathname}`).toBe(PAGE);
    expect((await passwordResetLinkUser(auth, link.searchParams.get('uid'), link.searchParams.get('token')))?.id).toBe(alice.id);
  });

  it('mails nobody for an unknown address, an inactive account or an unusable password, and resolves alike', async () => {
    const auth = setup();
    await auth.users.createUser({ username: 'ina', email: 'ina@example.com', password: PASSWORD, isActive: false });
    await auth.users.createUser({ username: 'nopw', email: 'nopw@example.com', password: null });
    const mailer = new MemoryMailSender();
    for (const email of ['nobody@example.com', 'ina@example.com', 'nopw@example.com']) {
      const requested = await requestPasswordReset(auth, { email, mailer, pageUrl: PAGE });
      expect(Object.keys(requested)).toEqual(['delivered']);
      await requested.delivered;
    }
    expect(mailer.outbox).toHaveLength(0);
  });

  it('reports a failed send to onSendError and still settles', async () => {
    const auth = setup();
    await auth.users.createUser({ username: 'bob', email: 'bob@example.com', password: PASSWORD });
    const failure = new Error('SMTP down');
    const broken: MailSender = { send: () => Promise.reject(failure) };
    const errors: unknown[] = [];
    await (await requestPasswordReset(auth, { email: 'bob@example.com', mailer: broken, pageUrl: PAGE, onSendError: (e) => errors.push(e) })).delivered;
    expect(errors).toEqual([failure]);
  });
});

describe('confirmPasswordReset', () => {
  async function linkFor(auth: ReturnType<typeof setup>, email: string) {
    const mailer = new MemoryMailSender();
    await (await requestPasswordReset(auth, { email, mailer, pageUrl: PAGE })).delivered;
    const link = linkIn(mailer.outbox[0]!);
    return { uid: link.searchParams.get('uid'), token: link.searchParams.get('token') };
  }

  it('sets the new password once: the link dies with the old password', async () => {
    const auth = setup();
    const carol = await auth.users.createUser({ username: 'carol', email: 'carol@example.com', password: PASSWORD });
    const link = await linkFor(auth, 'carol@example.com');
    expect((await confirmPasswordReset(auth, { ...link, newPassword: 'Another-Horse-77', newPassword2: 'Another-Horse-77' }))?.id).toBe(carol.id);
    const stored = (await auth.users.getById(carol.id))!;
    expect(await auth.checkPassword(stored, 'Another-Horse-77')).toBe(true);
    expect(await confirmPasswordReset(auth, { ...link, newPassword: 'Third-Horse-99' })).toBeNull();
    expect(await auth.checkPassword((await auth.users.getById(carol.id))!, 'Another-Horse-77')).toBe(true);
  });

  it('reports a mismatch and the validators at once, and changes nothing', async () => {
    const auth = setup();
    const dave = await auth.users.createUser({ username: 'dave', email: 'dave@example.com', password: PASSWORD });
    const link = await linkFor(auth, 'dave@example.com');
    const error = await confirmPasswordReset(auth, { ...link, newPassword: '123', newPassword2: '124' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fields).sort()).toEqual(['newPassword2', 'password']);
    expect(await auth.checkPassword((await auth.users.getById(dave.id))!, PASSWORD)).toBe(true);
  });

  it('is null for bogus links', async () => {
    const auth = setup();
    await auth.users.createUser({ username: 'erin', email: 'erin@example.com', password: PASSWORD });
    for (const [uid, token] of [
      ['MQ', 'x-y'],
      ['', ''],
      [null, 'a'],
      ['x'.repeat(65), 'a'],
    ]) {
      expect(await confirmPasswordReset(auth, { uid, token, newPassword: 'Another-Horse-77' })).toBeNull();
    }
  });
});

describe('passwordResetPageUrl', () => {
  it('is the path on the public origin', () => {
    expect(passwordResetPageUrl('https://example.com')).toBe('https://example.com/reset-password');
    expect(passwordResetPageUrl('http://localhost:3000/', '/account/reset')).toBe('http://localhost:3000/account/reset');
  });

  it.each([
    ['https://example.com/app', '/reset'],
    ['example.com', '/reset'],
    ['https://example.com', '//evil.example/reset'],
    ['https://example.com', 'https://evil.example/reset'],
    ['https://example.com', '/reset?next=x'],
  ])('refuses %p with %p', (publicUrl, path) => {
    expect(() => passwordResetPageUrl(publicUrl, path)).toThrow(ImproperlyConfigured);
  });
});
