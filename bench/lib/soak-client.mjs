// The load side of the soak test (bench/soak.mjs): simulated browsers and mobile clients with
// their own cookie jars, tRPC calls that check every answer, and the two scenarios (password
// accounts; WeChat QR login).
//
// Every answer is checked: an HTTP status other than the one the step expects, or a body that
// does not say what it should (wrong user, missing tokens…), is an error; the scenario stops
// there and the next one starts with a fresh browser. Expected refusals (a wrong password:
// 401; a revoked access token: 401) are counted apart.
import { performance } from 'node:perf_hooks';
import { WECHAT_APP, WECHAT_USERS } from './wechat-config.mjs';

const REQUEST_TIMEOUT_MS = 30_000;

/** Counters shared by all workers; the driver reads and resets the per-interval part. */
export class SoakStats {
  constructor() {
    this.requests = 0; // requests to the app (not to the emulator)
    this.emulatorRequests = 0;
    this.errors = 0;
    this.expected = {}; // expected non-2xx answers, by step
    this.errorsByStep = {};
    this.errorSamples = [];
    this.iterations = { password: 0, wechat: 0 };
    this.wechatLogins = { new: 0, returning: 0 };
    this.steps = {}; // requests by step
    this.latencies = []; // ms, app requests of the current interval
  }

  error(step, message) {
    this.errors += 1;
    this.errorsByStep[step] = (this.errorsByStep[step] ?? 0) + 1;
    if (this.errorSamples.length < 20) this.errorSamples.push(`${new Date().toISOString()} ${step}: ${message}`);
  }

  takeLatencies() {
    const out = this.latencies;
    this.latencies = [];
    return out;
  }
}

class StepFailed extends Error {}

/** One client: a cookie jar (a browser) or none (a mobile app sending Bearer tokens). */
class Client {
  constructor(base, stats) {
    this.base = base;
    this.stats = stats;
    this.jar = new Map();
  }

  /**
   * A tRPC call. `expect` is the HTTP status the step must get (200 unless said otherwise);
   * anything else is an error. Returns `result.data` (200) or the error body.
   */
  async trpc(step, kind, path, { input, bearer, expect = 200, cookies = true } = {}) {
    const headers = { origin: this.base };
    if (cookies && this.jar.size > 0) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    let url = `${this.base}/trpc/${path}`;
    let body;
    if (kind === 'query') {
      if (input !== undefined) url += `?input=${encodeURIComponent(JSON.stringify(input))}`;
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(input ?? {});
    }
    const t0 = performance.now();
    let response;
    let text;
    try {
      response = await fetch(url, { method: kind === 'query' ? 'GET' : 'POST', headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      text = await response.text();
    } catch (error) {
      this.stats.requests += 1;
      this.stats.error(step, `${error.name}: ${error.message}`);
      throw new StepFailed();
    }
    this.stats.latencies.push(performance.now() - t0);
    this.stats.requests += 1;
    this.stats.steps[step] = (this.stats.steps[step] ?? 0) + 1;
    if (cookies) this.takeCookies(response);
    if (response.status !== expect) {
      this.stats.error(step, `HTTP ${response.status} (expected ${expect}): ${text.slice(0, 300)}`);
      throw new StepFailed();
    }
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      this.stats.error(step, `not JSON: ${text.slice(0, 300)}`);
      throw new StepFailed();
    }
    if (expect !== 200) {
      this.stats.expected[step] = (this.stats.expected[step] ?? 0) + 1;
      return json;
    }
    return json.result?.data;
  }

  takeCookies(response) {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0];
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      // koa's cookies delete with an empty value and an expiry in 1970.
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  check(step, ok, message) {
    if (!ok) {
      this.stats.error(step, message);
      throw new StepFailed();
    }
  }
}

/**
 * Password accounts, one new user per iteration: register (logged in), me, logout, me
 * (anonymous); sometimes a wrong password first (expected 401, exercises the throttle);
 * login by username (or email / phone in another spelling), me ×3; then as a mobile app
 * without cookies: token, refresh, me with the new access token, logout with it, me with it
 * again (expected 401: its family is revoked); finally the browser's cookie logout.
 */
export async function passwordScenario({ base, stats, k, tag, wrongPasswordEvery }) {
  const browser = new Client(base, stats);
  const username = `s${tag}_${k}`;
  const email = `${username}@Soak.Example.com`;
  const digits = String(k % 100_000_000).padStart(8, '0');
  const phone = `139 ${digits.slice(0, 4)} ${digits.slice(4)}`;
  const password = `Correct-Horse-Battery-${k}`;
  try {
    const registered = await browser.trpc('auth.register', 'mutation', 'auth.register', { input: { username, email, phone, password } });
    browser.check('auth.register', registered?.username === username, `answered ${JSON.stringify(registered)}`);
    await me(browser, 'auth.me (registered)', username);
    await browser.trpc('auth.logout', 'mutation', 'auth.logout');
    const anonymous = await browser.trpc('auth.me (logged out)', 'query', 'auth.me');
    browser.check('auth.me (logged out)', anonymous === null, `still logged in: ${JSON.stringify(anonymous)}`);

    if (wrongPasswordEvery > 0 && k % wrongPasswordEvery === 0) {
      await browser.trpc('auth.login (wrong password)', 'mutation', 'auth.login', {
        input: { identifier: username, password: `${password}-nope` },
        expect: 401,
      });
    }
    // Mostly by username; every 5th by email (other case in the domain), every 5th by phone (E.164).
    const identifier = k % 5 === 1 ? email.toLowerCase() : k % 5 === 3 ? `+86-139-${digits.slice(0, 4)}-${digits.slice(4)}` : username;
    const loggedIn = await browser.trpc('auth.login', 'mutation', 'auth.login', { input: { identifier, password } });
    browser.check('auth.login', loggedIn?.username === username, `answered ${JSON.stringify(loggedIn)}`);
    for (let i = 0; i < 3; i += 1) await me(browser, 'auth.me', username);

    const mobile = new Client(base, stats);
    const first = await mobile.trpc('auth.token', 'mutation', 'auth.token', { input: { identifier: username, password, device: 'soak' }, cookies: false });
    mobile.check('auth.token', typeof first?.accessToken === 'string' && typeof first?.refreshToken === 'string', `answered ${JSON.stringify(first)}`);
    const second = await mobile.trpc('auth.refresh', 'mutation', 'auth.refresh', { input: { refreshToken: first.refreshToken }, cookies: false });
    mobile.check('auth.refresh', typeof second?.accessToken === 'string' && second.refreshToken !== first.refreshToken, `answered ${JSON.stringify(second)}`);
    const viaBearer = await mobile.trpc('auth.me (bearer)', 'query', 'auth.me', { bearer: second.accessToken, cookies: false });
    mobile.check('auth.me (bearer)', viaBearer?.username === username, `answered ${JSON.stringify(viaBearer)}`);
    await mobile.trpc('auth.logout (bearer)', 'mutation', 'auth.logout', { bearer: second.accessToken, cookies: false });
    await mobile.trpc('auth.me (revoked bearer)', 'query', 'auth.me', { bearer: second.accessToken, cookies: false, expect: 401 });

    await browser.trpc('auth.logout', 'mutation', 'auth.logout');
    stats.iterations.password += 1;
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
  }
}

/**
 * A WeChat QR login in a fresh browser: wechat.start, the phone confirms through the emulator
 * (`perform: true`: the emulator requests the app's callback, which exchanges the code with
 * the emulator), wechat.status until `confirmed`, wechat.complete, auth.me, auth.logout.
 * `user` is one of the emulator's five default users (a returning WeChat user after its first
 * login) or a generated one never seen before (a new user).
 */
export async function wechatScenario({ base, emulator, stats, user, isNew }) {
  const browser = new Client(base, stats);
  try {
    const started = await browser.trpc('wechat.start', 'mutation', 'wechat.start', { input: {} });
    browser.check('wechat.start', typeof started?.state === 'string', `answered ${JSON.stringify(started)}`);
    const { state } = started;

    let phone;
    try {
      const response = await fetch(`${emulator}/__emulator/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ appid: WECHAT_APP.appid, redirect_uri: `${base}/auth/wechat/callback`, state, user, perform: true }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      stats.emulatorRequests += 1;
      phone = await response.json();
      browser.check('emulator confirm', response.status === 200, `HTTP ${response.status}: ${JSON.stringify(phone).slice(0, 300)}`);
    } catch (error) {
      if (error instanceof StepFailed) throw error;
      stats.error('emulator confirm', `${error.name}: ${error.message}`);
      throw new StepFailed();
    }
    const callback = phone.callbacks?.[0];
    browser.check('wechat callback', callback && !callback.error && callback.status === 200, `callback: ${JSON.stringify(phone.callbacks)}`);

    // The callback has been answered, so the first status read should already say confirmed.
    const deadline = performance.now() + 10_000;
    for (;;) {
      const view = await browser.trpc('wechat.status', 'query', 'wechat.status', { input: { state } });
      if (view?.status === 'confirmed') break;
      browser.check('wechat.status', view?.status === 'pending' && performance.now() < deadline, `status ${JSON.stringify(view)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const done = await browser.trpc('wechat.complete', 'mutation', 'wechat.complete', { input: { state } });
    browser.check('wechat.complete', done?.mode === 'login' && done.userId !== undefined, `answered ${JSON.stringify(done)}`);
    const who = await browser.trpc('auth.me (wechat)', 'query', 'auth.me');
    browser.check('auth.me (wechat)', who !== null && String(who.id) === String(done.userId), `answered ${JSON.stringify(who)} for user ${done.userId}`);
    await browser.trpc('auth.logout', 'mutation', 'auth.logout');
    stats.iterations.wechat += 1;
    stats.wechatLogins[isNew ? 'new' : 'returning'] += 1;
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
  }
}

async function me(client, step, username) {
  const user = await client.trpc(step, 'query', 'auth.me');
  client.check(step, user?.username === username, `expected ${username}, answered ${JSON.stringify(user)}`);
}

/** The WeChat user of the n-th WeChat login: alternately a returning default user and a new one. */
export function wechatUserFor(n, generatedUsers) {
  if (n % 2 === 0 || generatedUsers === 0) {
    const i = generatedUsers === 0 ? n : n >> 1;
    return { user: WECHAT_USERS[i % WECHAT_USERS.length], isNew: i < WECHAT_USERS.length };
  }
  const i = n >> 1;
  return { user: `soak-${String(i % generatedUsers).padStart(6, '0')}`, isNew: i < generatedUsers };
}
