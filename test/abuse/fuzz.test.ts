/**
 * Property-based abuse of the whole HTTP surface (fast-check): every tRPC procedure — anonymous,
 * with a session cookie and with a bearer token — and every HTTP route (the WeChat callback and
 * OA routes, the login-protected pages, the tRPC transport itself: methods, paths, batches,
 * bodies, content types; headers, and raw requests no client library would send). Inputs are
 * wrong types, huge strings, deeply nested JSON, odd Unicode (lone surrogates, RTL marks,
 * full-width, combining marks), SQL and header injection strings, prototype-pollution keys.
 *
 * Properties: never a 5xx (status, or inside a tRPC body/batch); no injected response header;
 * no redirect off-site; no request hangs; no unhandled rejection (Jest 30 fails the test that
 * is running when one happens); no stored row from invalid input (every run of `auth.register`
 * checks the row count, and nothing else may write any row at all); no privilege from mass
 * assignment. The generated inputs are counted: at least 10,000 in total.
 *
 * The app under test is in-process, with cheap scrypt (logN 10) and throttle limits high enough
 * for the fuzzer to reach the password checks.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MemorySmsSender } from '@koa-auth/core/testing';
import type { User } from '@koa-auth/core';
import { wechatMigrations } from '@koa-auth/wechat';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import { startWechatEmulator, type EmulatorHarness } from '../../packages/wechat/test/support/wechat-emulator.js';
import { PASSWORD, startFullApp, type FullApp } from '../helpers/full-app.js';
import { HttpClient, rawExchange, type RawRequest, type RawResponse } from '../helpers/raw-http.js';

const MINIMUM_INPUTS = 10_000;
let db: TestDb;
let stores: TestStores;
let h: EmulatorHarness;
let app: FullApp;
let http: HttpClient;
let port: number;
/** The logged-in user's cookie header and bearer token. */
let sessionCookie: string;
let bearer: string;
/** Rows in every table before fuzzing. */
let baseline: Record<string, number>;
/** Successful registrations (the only rows fuzzing may add). */
let registered = 0;
/** Generated inputs actually sent. */
let inputs = 0;

beforeAll(async () => {
  db = await createTestDb('abuse/fuzz', wechatMigrations);
  stores = new TestStores('abuse-fuzz');
  h = await startWechatEmulator();
  app = await startFullApp({
    knex: db.knex,
    store: stores.open(),
    emulatorUrl: h.url,
    proxy: true,
    // High enough that the fuzzer reaches the password checks instead of the lockout.
    throttle: { perAccount: { points: 1_000_000 }, perAddress: { points: 1_000_000 } },
    limits: { register: { perAddress: { points: 1_000_000 } }, passwordReset: { perAddress: { points: 1_000_000 }, perTarget: { points: 1_000_000 } } },
    qr: { onError: () => undefined },
    // SMS codes on, limits out of the way, so the fuzzer reaches the code checks.
    sms: {
      sender: new MemorySmsSender(),
      limits: { perNumber: [{ points: 1_000_000, durationSeconds: 60 }], perAddress: { points: 1_000_000 }, global: { points: 1_000_000 } },
    },
  });
  http = new HttpClient(app.url);
  // What the server itself reports for each 5xx, to name the cause in failure reports.
  app.app.on('error', (error: Error, ctx: { get(name: string): string }) => noteServerError(error, ctx));
  port = Number(new URL(app.url).port);
  await app.auth.users.createUser({ username: 'fuzzer', email: 'fuzzer@example.com', phone: '138 0013 8000', password: PASSWORD });
  const browser = app.client();
  expect((await browser.mutation('auth.login', { identifier: 'fuzzer', password: PASSWORD })).status).toBe(200);
  sessionCookie = browser.cookieHeader();
  const pair = await app.client().mutation('auth.token', { identifier: 'fuzzer', password: PASSWORD });
  bearer = pair.data.accessToken;
  baseline = await tableCounts();
}, 60_000);

afterAll(async () => {
  http?.close();
  await app?.close();
  await h?.running.close();
  await stores?.close();
  await db?.destroy();
});

async function tableCounts(): Promise<Record<string, number>> {
  const tables = ['auth_user', 'auth_group', 'auth_permission', 'auth_user_groups', 'auth_user_user_permissions', 'auth_group_permissions', 'wechat_profile'];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await db.knex(table).count({ n: '*' });
    counts[table] = Number(row?.n);
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Generators

// biome-ignore format: a packed table of hostile inputs reads better than one per line
const NASTY = [
  "' OR '1'='1", "' OR 1=1 --", "admin'--", "'; DROP TABLE auth_user; --", '"; DROP TABLE auth_user; --', '1; SELECT SLEEP(10)',
  "' UNION SELECT password FROM auth_user --", "fuzzer' AND '1'='1", '\\', "\\'", '%', '_', '%_%', '*', '\u0000', 'a\u0000b',
  '\r\nSet-Cookie: injected=1', '\r\nX-Injected: 1', '%0d%0aX-Injected:%201', '\nLocation: https://evil.example', 'https://evil.example',
  '//evil.example', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)', 'http:evil.example', '/%2F%2Fevil.example',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: '${7*7}' is a template-injection probe, not a mistake
  '<script>alert(1)</script>', '{{7*7}}', '${7*7}', '%s%s%s%n', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  '\uD800', '\uDFFF', '\uDBFF\uDBFF', '\uFEFF', '\u202E', '\u200B', '\u2028', 'ｆｕｚｚｅｒ', 'İ', 'ß', 'e\u0301', '👨‍👩‍👧‍👦', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\u{10FFFF}', '٣٤٥', '+86 138 0013 8000', '13800138000', '138 0013 8000', 'fuzzer', 'FUZZER', 'fuzzer@example.com', 'FUZZER@EXAMPLE.COM',
  'a@b', '@', ' ', '\t', 'null', 'undefined', 'NaN', '-1', '0', '1e309', 'true', '../../etc/passwd', 'wx55555555555555a1',
];

const nasty = fc.constantFrom(...NASTY);
/** Strings of every awkward kind, occasionally very large. */
const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nasty },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.tuple(nasty, fc.string({ unit: 'binary', maxLength: 10 }), nasty).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 5000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 50_000, max: 300_000 }), fc.constantFrom('a', 'é', '🙂', "'")).map(([n, c]) => c.repeat(n)) },
);
const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'isSuperuser', 'id', 'password', ''), fc.string({ maxLength: 10 }));
/** Any JSON value, with odd strings and keys. */
const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    oddString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -1, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e308, -0),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(key, tie('v'), { maxKeys: 4 }),
  ),
})).v;
/** JSON nested thousands deep, as text (building the value would overflow the stack). */
const deepJson = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.constantFrom('[', '{"a":'), fc.constantFrom('1', 'null', '"x"'))
  .map(([depth, open, leaf]) => open.repeat(depth) + leaf + (open === '[' ? ']' : '}').repeat(depth));

/** The input of a call, as JSON text (undefined: no input at all). */
function inputFor(fields: readonly string[]): fc.Arbitrary<string | undefined> {
  const fieldValue = fc.oneof({ weight: 3, arbitrary: oddString }, { weight: 2, arbitrary: jsonValue });
  const shaped =
    fields.length === 0
      ? fc.dictionary(key, jsonValue, { maxKeys: 3 })
      : fc.record(Object.fromEntries(fields.map((f) => [f, fieldValue])), { requiredKeys: [] });
  return fc.oneof(
    { weight: 5, arbitrary: shaped.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: jsonValue.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: oddString },
  );
}

// ---------------------------------------------------------------------------------------------
// Procedures

type Kind = 'query' | 'mutation' | 'subscription';
/** The input fields of every procedure, so the generators can aim at them. */
const FIELDS: Record<string, readonly string[]> = {
  'auth.register': ['username', 'email', 'phone', 'nickname', 'password'],
  'auth.login': ['identifier', 'password'],
  'auth.logout': [],
  'auth.me': [],
  'auth.changePassword': ['oldPassword', 'newPassword'],
  'auth.token': ['identifier', 'password', 'device'],
  'auth.refresh': ['refreshToken'],
  'auth.sessions.list': [],
  'auth.sessions.revoke': ['id'],
  'auth.passwordReset.request': ['email'],
  'auth.passwordReset.confirm': ['uid', 'token', 'newPassword'],
  'auth.sms.send': ['phone', 'purpose'],
  'auth.sms.verify': ['phone', 'purpose', 'code'],
  'wechat.start': ['mode', 'bearer'],
  'wechat.status': ['state', 'browserKey'],
  'wechat.onStatus': ['state', 'browserKey'],
  'wechat.complete': ['state', 'browserKey'],
  'wechat.bind': ['bearer'],
  'wechat.unbind': ['profileId', 'appid'],
  'wechat.profiles': [],
  'wechat.oaStart': ['mode', 'next'],
  'wechat.miniProgram.login': ['code', 'appid'],
  'wechat.miniProgram.bindPhone': ['code', 'appid'],
};

function procedures(): Array<{ path: string; kind: Kind; fields: readonly string[] }> {
  const defs = (app.trpcRouter as unknown as { _def: { procedures: Record<string, { _def: { type: Kind } }> } })._def.procedures;
  return Object.entries(defs).map(([path, procedure]) => ({ path, kind: procedure._def.type, fields: FIELDS[path] ?? [] }));
}

type Credentials = 'anonymous' | 'session' | 'bearer';

function callRequest(path: string, kind: Kind, input: string | undefined, credentials: Credentials, batch: boolean): RawRequest {
  const headers: Record<string, string> = {};
  if (credentials === 'session') headers.cookie = sessionCookie;
  if (credentials === 'bearer') headers.authorization = `Bearer ${bearer}`;
  const batched = batch ? `{"0":${input ?? 'null'}}` : input;
  if (kind === 'mutation') {
    headers.origin = app.url;
    headers['content-type'] = 'application/json';
    const body = batched === undefined ? undefined : Buffer.from(batched, 'utf8');
    if (body) headers['content-length'] = String(body.length);
    return { method: 'POST', path: `/trpc/${path}${batch ? '?batch=1' : ''}`, headers, ...(body ? { body } : {}) };
  }
  const query = [batch ? 'batch=1' : '', batched === undefined ? '' : `input=${enc(batched)}`].filter(Boolean).join('&');
  return { method: 'GET', path: `/trpc/${path}${query ? `?${query}` : ''}`, headers };
}

// ---------------------------------------------------------------------------------------------
// Verdicts
//
// A property does not stop at its first counterexample: every finding is recorded, grouped by
// kind and route, and each test ends by asserting that it found none — so one bug does not hide
// the next, and the input count stays complete.

interface Finding {
  count: number;
  example: string;
}
const findings = new Map<string, Finding>();
/** Each request carries an id; the server's own error (Koa's 'error' event) is filed under it. */
let requestSeq = 0;
const serverErrorOf = new Map<string, string>();

function noteServerError(error: Error, ctx: { get(name: string): string }): void {
  const id = ctx.get('x-fuzz-id');
  if (id) serverErrorOf.set(id, `${error.name}: ${error.message}`.replace(/(Failed to parse URL from ).*/s, '$1…').slice(0, 160));
}

function record(kind: string, where: string, example: string): void {
  const group = `${kind} — ${where}`;
  const seen = findings.get(group);
  // Keep the shortest example: the easiest to read and replay.
  const shortest = seen && seen.example.length <= example.length ? seen.example : example.slice(0, 700);
  findings.set(group, { count: (seen?.count ?? 0) + 1, example: shortest });
}

function describeRequest(req: RawRequest): string {
  const body = req.body === undefined ? '' : ` body(${req.body.length} bytes)=${JSON.stringify(String(req.body).slice(0, 200))}`;
  return `${req.method ?? 'GET'} ${req.path.slice(0, 300)} headers=${JSON.stringify(req.headers ?? {}).slice(0, 300)}${body}`;
}

/** The route of a request for grouping: method and path without the query, shortened. */
function routeOf(req: RawRequest): string {
  return `${req.method ?? 'GET'} ${req.path.split('?')[0]!.slice(0, 40)}`;
}

/** What is wrong with an answer: a server error, an injection, an off-site redirect. */
function problemsOf(res: RawResponse): string[] {
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`HTTP ${res.status}`);
  else if (/"httpStatus":\s*5\d\d/.test(res.body) || res.body.includes('INTERNAL_SERVER_ERROR')) problems.push('a 5xx inside the body');
  if (Object.keys(res.headers).some((name) => name.startsWith('x-injected'))) problems.push('an injected response header');
  if ((res.headers['set-cookie'] ?? []).some((c) => c.startsWith('injected='))) problems.push('an injected cookie');
  const location = res.headers.location;
  if (location !== undefined && !isOwnOrWechat(location)) problems.push('a redirect off-site');
  return problems;
}

function isOwnOrWechat(location: string): boolean {
  if (location.startsWith(`${h.url}/`) || location.startsWith(`${app.url}/`)) return true;
  return location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\');
}

/** Send one generated request and record what is wrong with the answer; null when it hung or failed. */
async function exchange(req: RawRequest): Promise<RawResponse | null> {
  inputs += 1;
  const id = String(++requestSeq);
  const sent = { ...req, headers: { ...req.headers, 'x-fuzz-id': id } };
  let res: RawResponse;
  try {
    res = await http.send(sent);
  } catch (error) {
    record(`no answer (${(error as Error).message})`, routeOf(req), describeRequest(req));
    return null;
  }
  const problems = problemsOf(res);
  // Grouped by the server's own error when it reported one (the cause), else by route.
  if (problems.length > 0)
    record(problems.join(', '), serverErrorOf.get(id) ?? routeOf(req), `${describeRequest(req)}\n      answer: ${res.body.slice(0, 200)}`);
  serverErrorOf.delete(id);
  return res;
}

/** Run a fuzzing campaign, then fail listing every group of findings with an example each. */
async function campaign(run: () => Promise<unknown>): Promise<void> {
  findings.clear();
  await run();
  const report = [...findings].map(([group, f]) => `${f.count}× ${group}\n      e.g. ${f.example}`);
  expect(report).toEqual([]);
}

/** encodeURIComponent for any string: lone surrogates (not encodable) become U+FFFD first. */
function enc(text: string): string {
  return encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

// ---------------------------------------------------------------------------------------------

describe('fuzzing the HTTP surface', () => {
  it('covers every procedure of the router', () => {
    const paths = procedures()
      .map((p) => p.path)
      .sort();
    expect(paths).toEqual(Object.keys(FIELDS).sort());
  });

  it('auth.register: never a 5xx, and a row is stored exactly when the answer is 200, as given', async () => {
    const plausible = fc
      .record(
        {
          username: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_.@+-]{0,20}$/), oddString),
          email: fc.oneof(fc.emailAddress(), oddString),
          phone: fc.oneof(fc.constantFrom('139 0000 0001', '+86 139 0000 0002', '13900000003'), oddString),
          nickname: oddString,
          password: fc.oneof(fc.constant(PASSWORD), fc.constantFrom('password', '', ' ', '12345678'), oddString),
          // Mass assignment attempts: never stored.
          isSuperuser: fc.constant(true),
          isStaff: fc.constant(true),
          isActive: fc.constant(false),
          accountType: fc.constant('wechat'),
          id: fc.constant(1),
        },
        { requiredKeys: ['password'] },
      )
      .map((v) => JSON.stringify(v));
    const registerInput = fc.oneof({ weight: 3, arbitrary: inputFor(FIELDS['auth.register']!) }, { weight: 2, arbitrary: plausible });

    await campaign(() =>
      fc.assert(
        fc.asyncProperty(registerInput, fc.boolean(), async (input, batch) => {
          const req = callRequest('auth.register', 'mutation', input, 'anonymous', batch);
          const [before] = await db.knex('auth_user').count({ n: '*' });
          const res = await exchange(req);
          const [after] = await db.knex('auth_user').count({ n: '*' });
          const added = Number(after?.n) - Number(before?.n);
          const example = describeRequest(req);
          if (res?.status !== 200) {
            if (added !== 0) record(`a refused registration (HTTP ${res?.status}) stored ${added} row(s)`, routeOf(req), example);
            return;
          }
          if (added !== 1) return record(`a successful registration stored ${added} rows`, routeOf(req), example);
          registered += 1;
          const body = JSON.parse(res.body) as { result?: { data: { id: number } } } | Array<{ result?: { data: { id: number } } }>;
          const id = (Array.isArray(body) ? body[0]?.result?.data.id : body.result?.data.id)!;
          const row = (await app.auth.users.getById(id)) as User;
          const given = JSON.parse(input!) as Record<string, unknown>;
          // What was stored is what was asked for (normalised), and nothing more.
          if (typeof given.username === 'string' && given.username !== '' && row.username !== given.username.normalize('NFKC')) {
            record('a registration stored another username than given', routeOf(req), example);
          }
          if (row.isSuperuser || row.isStaff || !row.isActive || row.accountType === 'wechat') record('mass assignment reached the row', routeOf(req), example);
          if (!app.auth.hashers.isPasswordUsable(row.password)) record('an account was registered without a usable password', routeOf(req), example);
          else if (!(await app.auth.checkPassword(row, String(given.password))))
            record('the stored hash does not match the given password', routeOf(req), example);
        }),
        {
          numRuns: 700,
          // Edge cases every run starts with (fast-check runs examples first).
          examples: [
            [JSON.stringify({ username: 'edge-empty-password', password: '' }), false],
            [JSON.stringify({ username: 'edge-no-password' }), false],
            [JSON.stringify({ username: 'edge-null-password', password: null }), false],
            [JSON.stringify({ username: 'edge-superuser', password: PASSWORD, isSuperuser: true, isStaff: true }), false],
            [JSON.stringify({ email: 'edge@example.com', password: '' }), false],
          ],
        },
      ),
    );
  }, 120_000);

  it('every other procedure, anonymous: never a 5xx', async () => {
    const targets = procedures().filter((p) => p.path !== 'auth.register');
    await campaign(() =>
      Promise.all(
        targets.map((p) =>
          fc.assert(
            fc.asyncProperty(inputFor(p.fields), fc.boolean(), async (input, batch) => {
              await exchange(callRequest(p.path, p.kind, input, 'anonymous', batch && p.kind !== 'subscription'));
            }),
            { numRuns: 300 },
          ),
        ),
      ),
    );
  }, 180_000);

  it('every procedure but logout, as a logged-in user (session cookie and bearer token): never a 5xx, still logged in', async () => {
    const targets = procedures().filter((p) => p.path !== 'auth.register' && p.path !== 'auth.logout');
    await campaign(async () => {
      await Promise.all(
        targets.flatMap((p) =>
          (['session', 'bearer'] as const).map((credentials) =>
            fc.assert(
              fc.asyncProperty(inputFor(p.fields), fc.boolean(), async (input, batch) => {
                await exchange(callRequest(p.path, p.kind, input, credentials, batch && p.kind !== 'subscription'));
              }),
              { numRuns: 50 },
            ),
          ),
        ),
      );
      // Nothing the fuzzer sent changed the password, revoked the session or the token.
      for (const headers of [{ cookie: sessionCookie }, { authorization: `Bearer ${bearer}` }] as Array<Record<string, string>>) {
        const me = await http.send({ path: '/trpc/auth.me', headers });
        if (!me.body.includes('"username":"fuzzer"')) record('the fuzzed user was logged out', Object.keys(headers)[0]!, me.body.slice(0, 200));
      }
    });
  }, 180_000);

  it('the tRPC transport: any method, path, batch, query, body and content type — never a 5xx', async () => {
    const names = fc.oneof(
      fc.constantFrom(...Object.keys(FIELDS)),
      fc.constantFrom(
        'auth',
        'auth.',
        '.',
        '..',
        'auth..me',
        'auth.me/extra',
        '__proto__',
        'constructor',
        'auth.__proto__',
        'toString',
        'auth.me.toString',
        '',
      ),
      oddString.map((s) => s.slice(0, 50)),
    );
    const path = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.array(names, { minLength: 1, maxLength: 4 })).map(([n]) => `/trpc/${n.map(enc).join(',')}`) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '/trpc',
          '/trpc/',
          '/TRPC/auth.me',
          '/trpc//auth.me',
          '/trpc/auth.me/',
          '/trpc/%2e%2e/private',
          '/',
          '/private',
          '/favicon.ico',
          '/trpc/auth.me%00',
        ),
      },
    );
    const query = fc.option(
      fc.oneof(
        fc.constant('batch=1'),
        inputFor([]).map((i) => `input=${enc(i ?? '')}`),
        fc.tuple(inputFor([]), inputFor([])).map(([a, b]) => `batch=1&input=${enc(`{"0":${a ?? 'null'},"1":${b ?? '1'}}`)}`),
        fc.dictionary(fc.string({ maxLength: 8 }), oddString, { maxKeys: 3 }).map((d) => new URLSearchParams(d).toString()),
      ),
      { nil: undefined },
    );
    const body = fc.option(
      fc.oneof(
        inputFor(['identifier', 'password']).map((s) => (s === undefined ? undefined : Buffer.from(s, 'utf8'))),
        fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
        fc.constant(Buffer.alloc(1024 * 1024 + 10, 0x61)),
      ),
      { nil: undefined },
    );
    const contentType = fc.constantFrom(
      undefined,
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'application/octet-stream',
      '*/*',
      'text/event-stream',
    );
    const method = fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND');
    const credentials = fc.constantFrom<Credentials>('anonymous', 'anonymous', 'session', 'bearer');

    await campaign(() =>
      fc.assert(
        fc.asyncProperty(method, path, query, body, contentType, credentials, async (m, p, q, b, ct, cred) => {
          const headers: Record<string, string> = { origin: app.url };
          if (ct) headers['content-type'] = ct;
          if (cred === 'session') headers.cookie = sessionCookie;
          if (cred === 'bearer') headers.authorization = `Bearer ${bearer}`;
          if (b) headers['content-length'] = String(b.length);
          // Never let the fuzzer log the test user out or change the password.
          const target = p.replace(/auth\.(logout|changePassword|sessions\.revoke)/g, 'auth.me');
          await exchange({ method: m, path: q ? `${target}?${q}` : target, headers, ...(b ? { body: b } : {}) });
        }),
        { numRuns: 1200 },
      ),
    );
  }, 180_000);

  it('headers: cookies, tokens, origins, forwarded addresses — never a 5xx, never an injected header', async () => {
    const headerText = oddString.map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '').slice(0, 2000));
    const realCookie = sessionCookie;
    const [accessHeader, accessPayload, accessSignature] = bearer.split('.') as [string, string, string];
    const cookie = fc.oneof(
      headerText.map((v) => `sessionid=${v}`),
      fc.tuple(headerText, headerText).map(([a, b]) => `sessionid=${a}; sessionid.sig=${b}`),
      headerText.map((v) => `${realCookie.replace(/sessionid\.sig=[^;]*/, `sessionid.sig=${v}`)}`),
      headerText.map((v) => `${realCookie.replace(/sessionid=[^;]*/, `sessionid=${v}`)}`),
      headerText.map((v) => `csrftoken=${v}; ${realCookie}`),
      headerText,
    );
    const authorization = fc.oneof(
      headerText.map((v) => `Bearer ${v}`),
      headerText.map((v) => `Basic ${Buffer.from(v).toString('base64')}`),
      fc.constantFrom(
        `Bearer ${bearer}x`,
        `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${accessPayload}.`,
        `Bearer ${accessHeader}.${Buffer.from('{"sub":"1","fam":"x","typ":"access"}').toString('base64url')}.${accessSignature}`,
        `Bearer ${accessHeader}.${accessPayload}`,
        'Bearer',
        'Bearer ',
        'bearer  a.b.c',
        `Bearer ${'a'.repeat(8000)}`,
      ),
      headerText,
    );
    const header = fc.record(
      {
        cookie,
        authorization,
        origin: fc.oneof(fc.constantFrom(app.url, 'null', 'https://evil.example', `${app.url}.evil.example`, 'http://127.0.0.1'), headerText),
        'sec-fetch-site': fc.oneof(fc.constantFrom('same-origin', 'cross-site', 'same-site', 'none'), headerText),
        'x-forwarded-for': fc.oneof(fc.constantFrom('1.2.3.4', '::1', '1.2.3.4, 5.6.7.8', '::ffff:1.2.3.4', '999.999.999.999', ''), headerText),
        'x-forwarded-proto': fc.oneof(fc.constantFrom('https', 'http', 'gopher'), headerText),
        'x-forwarded-host': fc.oneof(fc.constantFrom('evil.example', '127.0.0.1:1'), headerText),
        'x-csrf-token': headerText,
        accept: fc.constantFrom('application/json', 'text/html', '*/*', 'text/event-stream', ''),
        'content-type': fc.constantFrom('application/json', 'text/plain', ''),
      },
      { requiredKeys: [] },
    );
    const request = fc.constantFrom<RawRequest>(
      { method: 'GET', path: '/trpc/auth.me' },
      { method: 'GET', path: '/trpc/auth.sessions.list' },
      { method: 'GET', path: '/private' },
      { method: 'POST', path: '/trpc/auth.login', body: JSON.stringify({ identifier: 'fuzzer', password: 'wrong password' }) },
      { method: 'POST', path: '/trpc/wechat.start', body: '{}' },
      { method: 'GET', path: '/auth/wechat/oa/start?next=%2Faccount' },
    );
    await campaign(() =>
      fc.assert(
        fc.asyncProperty(request, header, async (req, headers) => {
          const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
          await exchange({ ...req, headers: clean });
        }),
        { numRuns: 1200 },
      ),
    );
  }, 180_000);

  it('raw requests (header injection, broken framing, odd request lines): never a 5xx', async () => {
    const injected = fc.string({ unit: 'binary-ascii', maxLength: 60 });
    const line = fc.oneof(
      fc.constantFrom(
        'X-Test: a\r\nX-Injected: 1',
        'Cookie: sessionid=\u0000',
        'Host: evil.example',
        'Host:',
        'Content-Length: -1',
        'Content-Length: 5\r\nContent-Length: 6',
        'Transfer-Encoding: chunked',
        'Transfer-Encoding: gzip, chunked',
        ' folded continuation',
        'X-Forwarded-For: 1.2.3.4\r\n X-Injected: 1',
        'Origin: null',
        'Expect: 100-continue',
        'Connection: upgrade\r\nUpgrade: websocket',
        `Cookie: ${sessionCookie}\r\nCookie: sessionid=other`,
        `Authorization: Bearer ${bearer}\r\nAuthorization: Bearer other`,
        'Content-Type: application/json; charset=\u00ff',
        `X-Big: ${'a'.repeat(20_000)}`,
      ),
      injected.map((s) => `X-Fuzz: ${s}`),
      injected.map((s) => `Cookie: sessionid=${s}`),
      injected.map((s) => `X-Forwarded-For: ${s}`),
      injected.map((s) => `${s}: value`),
    );
    const target = fc.oneof(
      fc.constantFrom(
        '/trpc/auth.me',
        '/trpc/auth.login',
        '/private',
        '/auth/wechat/callback?state=x&code=y',
        '*',
        'http://evil.example/trpc/auth.me',
        '/trpc/auth.me#frag',
        '/%',
        '/%zz',
      ),
      injected.map((s) => `/trpc/${s.replace(/[\s]/g, '')}`),
    );
    const method = fc.constantFrom('GET', 'POST', 'HEAD', 'CONNECT', 'G\u0000T', 'get');
    const ownHost = app.url.slice('http://'.length);
    const host = fc.oneof(
      { weight: 6, arbitrary: fc.constant(ownHost) },
      { weight: 1, arbitrary: fc.constantFrom('exa mple', 'a<b', 'x%zz', '[::1', 'a:99999', 'evil.example', '', `${ownHost}@evil.example`) },
      { weight: 1, arbitrary: injected.map((s) => s.replace(/[\r\n]/g, '')) },
    );
    const body = fc.constantFrom('', '{"identifier":"fuzzer","password":"x"}', '0\r\n\r\n', 'zz\r\nabc\r\n0\r\n\r\n');
    await campaign(() =>
      fc.assert(
        fc.asyncProperty(method, target, host, fc.array(line, { maxLength: 4 }), body, async (m, t, hostValue, lines, b) => {
          inputs += 1;
          const id = String(++requestSeq);
          const head = [
            `${m} ${t} HTTP/1.1`,
            `Host: ${hostValue}`,
            `X-Fuzz-Id: ${id}`,
            `Origin: ${app.url}`,
            ...lines,
            `Content-Length: ${Buffer.byteLength(b, 'latin1')}`,
            'Connection: close',
          ];
          const bytes = Buffer.from(`${head.join('\r\n')}\r\n\r\n${b}`, 'latin1');
          const { status, text } = await rawExchange(port, bytes);
          const answerHead = text.slice(0, Math.max(0, text.indexOf('\r\n\r\n')));
          const problems = [
            ...(status !== null && status >= 500 ? [`HTTP ${status}`] : []),
            ...(/\r\nx-injected:/i.test(answerHead) ? ['an injected response header'] : []),
          ];
          const where = serverErrorOf.get(id) ?? `raw ${m} ${t.split('?')[0]!.slice(0, 30)}`;
          serverErrorOf.delete(id);
          if (problems.length > 0) record(problems.join(', '), where, JSON.stringify(bytes.toString('latin1').slice(0, 400)));
        }),
        { numRuns: 500 },
      ),
    );
  }, 180_000);

  it('the WeChat routes (QR callback, OA start and callback) with any query: never a 5xx, never an off-site redirect', async () => {
    const name = fc.oneof(
      fc.constantFrom('code', 'state', 'scope', 'next', 'lang', 'appid', 'redirect_uri'),
      oddString.map((s) => s.slice(0, 20)),
    );
    const value = oddString.map((s) => s.slice(0, 3000));
    const params = fc.array(fc.tuple(name, value), { maxLength: 6 });
    const route = fc.constantFrom('/auth/wechat/callback', '/auth/wechat/oa/start', '/auth/wechat/oa/callback');
    const encodings = fc.constantFrom('encoded', 'raw');
    await campaign(() =>
      fc.assert(
        fc.asyncProperty(route, params, encodings, fc.boolean(), async (r, p, encoding, withSession) => {
          const query = p.map(([k, v]) => (encoding === 'encoded' ? `${enc(k)}=${enc(v)}` : `${k}=${v}`.replace(/[^\x21-\x7e]/g, (c) => enc(c)))).join('&');
          await exchange({ method: 'GET', path: `${r}${query ? `?${query}` : ''}`, headers: withSession ? { cookie: sessionCookie } : {} });
        }),
        { numRuns: 1000 },
      ),
    );
  }, 180_000);

  it('forged QR callbacks with a live state and a bogus code: refused as bad input (4xx), nothing stored', async () => {
    const code = fc.oneof(
      oddString.map((s) => s.slice(0, 500)),
      fc.stringMatching(/^[0-9a-zA-Z]{32}$/),
    );
    await campaign(() =>
      fc.assert(
        fc.asyncProperty(code, async (bogus) => {
          const started = await http.send({
            method: 'POST',
            path: '/trpc/wechat.start',
            headers: { origin: app.url, 'content-type': 'application/json' },
            body: '{}',
          });
          const { state } = (JSON.parse(started.body) as { result: { data: { state: string } } }).result.data;
          await exchange({ method: 'GET', path: `/auth/wechat/callback?code=${enc(bogus)}&state=${state}` });
        }),
        { numRuns: 60 },
      ),
    );
  }, 120_000);

  it(`in total: at least ${MINIMUM_INPUTS} generated inputs, no row stored from any invalid one, no privilege granted`, async () => {
    expect(inputs).toBeGreaterThanOrEqual(MINIMUM_INPUTS);
    const counts = await tableCounts();
    expect(counts).toEqual({ ...baseline, auth_user: baseline.auth_user! + registered });
    const privileged = await db.knex('auth_user').where('is_superuser', true).orWhere('is_staff', true).count({ n: '*' });
    expect(Number(privileged[0]?.n)).toBe(0);
    // JSON keys like "__proto__" never reached a prototype.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).isSuperuser).toBeUndefined();
  });
});
