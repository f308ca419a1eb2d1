import { AuthClientError } from '../src/errors/auth-client-error.js';
import { TokenManager } from '../src/tokens/token-manager.js';
import { localStorageTokenStorage, memoryTokenStorage, type TokenPair, type TokenStorage } from '../src/index.js';

const T0 = Date.UTC(2030, 0, 1);

function pair(n: number, accessExpiresAt: number, expiresIn = 300): TokenPair {
  return {
    accessToken: `access-${n}`,
    refreshToken: `refresh-${n}`,
    tokenType: 'Bearer',
    expiresIn,
    accessExpiresAt: new Date(accessExpiresAt),
    refreshExpiresAt: new Date(accessExpiresAt + 86_400_000),
  };
}

function setup(initial: TokenPair | null, refresh: (token: string) => Promise<unknown>, storage: TokenStorage = memoryTokenStorage(initial)) {
  let now = T0;
  const calls: string[] = [];
  const manager = new TokenManager({
    storage,
    refresh: (token) => {
      calls.push(token);
      return refresh(token);
    },
    now: () => now,
  });
  const expired: number[] = [];
  manager.onSessionExpired(() => expired.push(now));
  return { manager, calls, expired, storage, advance: (ms: number) => (now += ms) };
}

const unauthorized = () => new AuthClientError('unauthorized', 'Invalid or expired credentials.', { status: 401 });

describe('TokenManager', () => {
  it('hands out the stored token while it is fresh, without refreshing', async () => {
    const { manager, calls } = setup(pair(1, T0 + 300_000), async () => pair(2, T0 + 600_000));
    expect(await manager.accessToken()).toBe('access-1');
    expect(calls).toEqual([]);
  });

  it('refreshes once for concurrent callers when the token is about to expire', async () => {
    let release!: () => void;
    const { manager, calls } = setup(pair(1, T0 + 10_000), () => new Promise((resolve) => (release = () => resolve(pair(2, T0 + 300_000)))));
    const tokens = Promise.all([manager.accessToken(), manager.accessToken(), manager.recover('access-1'), manager.accessToken()]);
    await new Promise((r) => setTimeout(r, 5));
    release();
    expect(await tokens).toEqual(['access-2', 'access-2', true, 'access-2']);
    expect(calls).toEqual(['refresh-1']);
  });

  it('does not refresh after a 401 for a token that was replaced meanwhile', async () => {
    const { manager, calls } = setup(pair(2, T0 + 300_000), async () => pair(3, T0 + 600_000));
    expect(await manager.recover('access-1')).toBe(true);
    expect(calls).toEqual([]);
  });

  it('never spends a refresh token again when the stored pair changed before the refresh ran', async () => {
    const storage = memoryTokenStorage(pair(1, T0 + 1000));
    const { manager, calls } = setup(null, async () => pair(9, T0 + 300_000), storage);
    const stale = await manager.get();
    await storage.set(pair(2, T0 + 300_000)); // another tab refreshed
    expect(await manager.recover(stale!.accessToken)).toBe(true);
    expect(await manager.accessToken()).toBe('access-2');
    expect(calls).toEqual([]);
  });

  it('drops the tokens and tells the listeners when the refresh is refused', async () => {
    const { manager, expired, storage } = setup(pair(1, T0), async () => Promise.reject(unauthorized()));
    expect(await manager.accessToken()).toBeNull();
    expect(await storage.get()).toBeNull();
    await new Promise((r) => setTimeout(r, 0));
    expect(expired).toHaveLength(1);
  });

  it('keeps the tokens when the refresh fails for another reason', async () => {
    const { manager, expired, storage } = setup(pair(1, T0), async () => Promise.reject(new AuthClientError('network', 'offline')));
    await expect(manager.accessToken()).rejects.toMatchObject({ code: 'network' });
    expect((await storage.get())?.accessToken).toBe('access-1');
    expect(expired).toHaveLength(0);
  });

  it('expires without asking the server once the refresh token itself has expired', async () => {
    const { manager, calls, expired, advance } = setup(pair(1, T0), async () => pair(2, T0));
    advance(86_400_000);
    expect(await manager.accessToken()).toBeNull();
    expect(calls).toEqual([]);
    await new Promise((r) => setTimeout(r, 0));
    expect(expired).toHaveLength(1);
  });

  it('moves an issued pair onto the local clock, so a skewed clock neither storms nor stalls', async () => {
    // The server's clock is an hour behind ours: its token "expires" an hour ago by our clock.
    const { manager, calls } = setup(null, async () => pair(2, T0));
    await manager.setIssued(pair(1, T0 - 3600_000 + 300_000));
    const stored = (await manager.get())!;
    expect(stored.accessExpiresAt.getTime()).toBe(T0 + 300_000);
    expect(stored.refreshExpiresAt.getTime()).toBe(T0 + 300_000 + 86_400_000);
    expect(await manager.accessToken()).toBe('access-1');
    expect(calls).toEqual([]);
  });

  it('refreshes under the storage lock when the storage has one', async () => {
    const locked: string[] = [];
    const base = memoryTokenStorage(pair(1, T0));
    const storage: TokenStorage = {
      get: () => base.get(),
      set: (p) => base.set(p),
      async lock(fn) {
        locked.push('in');
        try {
          return await fn();
        } finally {
          locked.push('out');
        }
      },
    };
    const { manager } = setup(null, async () => pair(2, T0 + 300_000), storage);
    expect(await manager.accessToken()).toBe('access-2');
    expect(locked).toEqual(['in', 'out']);
  });
});

describe('localStorageTokenStorage', () => {
  function fakeStorage() {
    const map = new Map<string, string>();
    return {
      map,
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
  }

  it('keeps the pair as JSON under its key and revives the dates', async () => {
    const web = fakeStorage();
    const storage = localStorageTokenStorage('tokens', web);
    await storage.set(pair(1, T0));
    expect(JSON.parse(web.map.get('tokens')!).accessToken).toBe('access-1');
    const back = (await storage.get())!;
    expect(back.accessExpiresAt).toEqual(new Date(T0));
    await storage.set(null);
    expect(web.map.has('tokens')).toBe(false);
  });

  it('reads foreign or corrupt content as no tokens', async () => {
    const web = fakeStorage();
    web.map.set('tokens', '{not json');
    expect(await localStorageTokenStorage('tokens', web).get()).toBeNull();
    web.map.set('tokens', '{"accessToken":"x"}');
    expect(await localStorageTokenStorage('tokens', web).get()).toBeNull();
  });
});
