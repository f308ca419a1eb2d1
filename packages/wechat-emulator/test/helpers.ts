/** Shared test helpers: an emulator on an ephemeral port and small HTTP shortcuts. */
import { createServer, type IncomingMessage } from 'node:http';
import { createWechatEmulator, type RunningEmulator, type WechatEmulator, type WechatEmulatorOptions } from '../src/index.js';

export const WEBSITE = { appid: 'wx11111111111111aa', secret: 'website-secret-0123456789abcdef' } as const;
export const WEBSITE2 = { appid: 'wx22222222222222bb', secret: 'website2-secret-0123456789abcdef' } as const;
export const OA = { appid: 'wx33333333333333cc', secret: 'oa-secret-0123456789abcdef' } as const;
export const LONE = { appid: 'wx44444444444444dd', secret: 'lone-secret-0123456789abcdef' } as const;
export const MINI = { appid: 'wx55555555555555ee', secret: 'mini-secret-0123456789abcdef' } as const;
export const MINI_LONE = { appid: 'wx66666666666666ff', secret: 'mini-lone-secret-0123456789abcdef' } as const;

export const CALLBACK = 'http://app.example.test/auth/wechat/callback';

/**
 * Two website apps, an OA and a Mini Program under one open-platform account, plus an unbound
 * website app and an unbound Mini Program.
 */
export const TEST_APPS: NonNullable<WechatEmulatorOptions['apps']> = [
  { ...WEBSITE, allowedCallbackHosts: ['app.example.test', 'localhost', '127.0.0.1'], openPlatformId: 'op-1' },
  { ...WEBSITE2, allowedCallbackHosts: ['other.example.test'], openPlatformId: 'op-1' },
  { ...OA, kind: 'oa', allowedCallbackHosts: ['m.example.test'], openPlatformId: 'op-1' },
  { ...LONE, allowedCallbackHosts: ['lone.example.test'] },
  { ...MINI, kind: 'miniprogram', openPlatformId: 'op-1' },
  { ...MINI_LONE, kind: 'miniprogram' },
];

export interface Harness {
  emulator: WechatEmulator;
  running: RunningEmulator;
  url: string;
}

export async function startEmulator(options: WechatEmulatorOptions = {}): Promise<Harness> {
  const emulator = createWechatEmulator({ apps: TEST_APPS, ...options });
  const running = await emulator.listen(0);
  return { emulator, running, url: running.url };
}

/** GET (no redirect following) returning status, headers and text. */
export async function get(url: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** GET a `/sns/*` URL and parse the JSON body whatever the Content-Type. */
export async function api(
  base: string,
  path: string,
  params: Record<string, string>,
): Promise<{ status: number; contentType: string | null; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}?${new URLSearchParams(params)}`);
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), body: JSON.parse(text) as Record<string, unknown> };
}

export async function postJson(url: string, body: unknown, method = 'POST'): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** POST JSON to an API path (the Mini Program's POST endpoints), query parameters optional. */
export async function apiPost(base: string, path: string, body: unknown, query: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${base}${path}${search ? `?${search}` : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect200(response.status);
  return JSON.parse(await response.text()) as Record<string, unknown>;
}

/** WeChat answers every API call, errors included, with HTTP 200. */
function expect200(status: number): void {
  if (status !== 200) throw new Error(`API answered HTTP ${status}, not 200`);
}

/** A throwaway "relying party" server that records the callback requests it receives. */
export async function startCallbackRecorder(): Promise<{ url: string; hits: Array<{ url: string; cookie: string | undefined }>; close(): Promise<void> }> {
  const hits: Array<{ url: string; cookie: string | undefined }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    hits.push({ url: req.url ?? '', cookie: req.headers.cookie });
    res.writeHead(302, { location: '/done' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Code and state from a callback URL. */
export function callbackParams(url: string): { code: string | null; state: string | null } {
  const parsed = new URL(url);
  return { code: parsed.searchParams.get('code'), state: parsed.searchParams.get('state') };
}
