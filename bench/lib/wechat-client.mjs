// The measuring side of the WeChat case (run pinned to the load-generator CPU): for each login,
// a browser starts the QR login on instance A, subscribes to wechat.onStatus (SSE) on instance
// B with the same cookies, and once B reports `pending` the phone confirms through the
// emulator (POST /__emulator/confirm, perform: true → the emulator requests A's callback). The
// latency is from sending that confirm to B's `confirmed` event. Prints one JSON line.
//
//   node lib/wechat-client.mjs --a URL --b URL --emulator URL --n 200 --warmup 20
import { performance } from 'node:perf_hooks';
import { parseArgs } from './common.mjs';
import { WECHAT_APP, WECHAT_USERS } from './wechat-config.mjs';

const args = parseArgs();
const A = args.a;
const B = args.b;
const EMULATOR = args.emulator;
const N = Number(args.n ?? 200);
const WARMUP = Number(args.warmup ?? 20);

function cookiesOf(response, jar = new Map()) {
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';')[0];
    const eq = pair.indexOf('=');
    const value = pair.slice(eq + 1).trim();
    if (value === '') jar.delete(pair.slice(0, eq).trim());
    else jar.set(pair.slice(0, eq).trim(), value);
  }
  return jar;
}
const cookieHeader = (jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** A tRPC subscription over server-sent events: next() gives the next data event (null at the end). */
async function openSse(url, headers) {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  if (response.status !== 200 || !response.body) throw new Error(`SSE: HTTP ${response.status}: ${await response.text()}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  async function readEvent() {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        return { event, data: data.join('\n') };
      }
      const { value, done } = await reader.read();
      if (done) return null;
      buffer += decoder.decode(value, { stream: true });
    }
  }
  return {
    async next(timeoutMs = 10_000) {
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no SSE event within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        for (;;) {
          const event = await Promise.race([readEvent(), timeout]);
          if (event === null || event.event === 'return') return null;
          if (event.event === 'serialized-error') throw new Error(`SSE error: ${event.data}`);
          if (event.event === 'message') return JSON.parse(event.data);
        }
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => abort.abort(),
  };
}

async function trpcMutation(base, path, input, jar) {
  const response = await fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, cookie: cookieHeader(jar) },
    body: JSON.stringify(input),
  });
  cookiesOf(response, jar);
  const body = await response.json();
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}: ${JSON.stringify(body)}`);
  return body.result.data;
}

async function oneLogin(i) {
  const jar = new Map();
  const { state } = await trpcMutation(A, 'wechat.start', {}, jar);
  const input = encodeURIComponent(JSON.stringify({ state }));
  const events = await openSse(`${B}/trpc/wechat.onStatus?input=${input}`, { cookie: cookieHeader(jar) });
  try {
    const first = await events.next();
    if (first?.status !== 'pending') throw new Error(`first status ${JSON.stringify(first)}`);
    const user = WECHAT_USERS[i % WECHAT_USERS.length];
    const t0 = performance.now();
    const confirm = fetch(`${EMULATOR}/__emulator/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appid: WECHAT_APP.appid, redirect_uri: `${A}/auth/wechat/callback`, state, user, perform: true }),
    });
    const confirmed = await events.next();
    const latency = performance.now() - t0;
    if (confirmed?.status !== 'confirmed') throw new Error(`expected confirmed, got ${JSON.stringify(confirmed)}`);
    const phone = await (await confirm).json();
    const callback = phone.callbacks?.[0];
    if (!callback || callback.error || !callback.url.startsWith(A)) throw new Error(`callback on A failed: ${JSON.stringify(phone)}`);
    // Finish the login on B, as the browser would (not timed).
    const done = await trpcMutation(B, 'wechat.complete', { state }, jar);
    if (done.mode !== 'login') throw new Error(`complete: ${JSON.stringify(done)}`);
    return latency;
  } finally {
    events.close();
  }
}

for (let i = 0; i < WARMUP; i += 1) await oneLogin(i);
const latencies = [];
for (let i = 0; i < N; i += 1) latencies.push(await oneLogin(i));
process.stdout.write(`${JSON.stringify({ latencies })}\n`);
