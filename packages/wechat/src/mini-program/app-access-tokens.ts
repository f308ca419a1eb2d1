/**
 * The Mini Program's app access token (`stable_token`), one per app for every instance of the
 * service: cached in the shared key-value store and fetched single-flight.
 *
 * - `get`: a cached token, else whoever wins a store lock (`setIfAbsent` with an expiry, so a
 *   crashed holder frees it) fetches one in normal mode and caches it until 5 minutes before it
 *   expires; everyone else waits and re-reads the cache. N instances × M concurrent callers make
 *   one `stable_token` call.
 * - `withToken`: runs a call with the token; when WeChat rejects the token (40001/42001), the
 *   token is renewed — under the same lock — and the call retried once. Renewal first asks in
 *   normal mode (the platform may already have a newer token, or another instance cached one);
 *   only when normal mode hands back the very token WeChat rejected does it `force_refresh`, and
 *   only while WeChat's limits allow (30 s apart, 20 a day), both reserved in the store before the
 *   call; beyond them the caller gets WechatRetryLater (503). Renewals are single-flight too, and
 *   a renewal that could not replace a token is remembered for a moment, so a burst of calls
 *   rejected with that token makes one normal-mode call, not one per request.
 */
import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '@koa-auth/core';
import type { MiniProgramClient } from '../client/mini-program-client.js';
import type { StableToken } from '../client/mini-program-schemas.js';
import { isAccessTokenRejected, miniProgramErrorOf, WechatRetryLater } from './mini-program-errors.js';

/** Options of AppAccessTokens. */
export interface AppAccessTokensOptions {
  store: KeyValueStore;
  /** The client of a configured Mini Program (WechatApps.miniProgramClient). */
  clientOf: (appid: string) => MiniProgramClient;
  /** Default `wechat:mp:token:`. */
  keyPrefix?: string;
  /** How long the fetch lock is held at most. Default 15 000 ms (longer than a call's timeout and its retry). */
  lockTtlMs?: number;
  /** How often waiters re-read the cache. Default 25 ms. */
  waitStepMs?: number;
}

interface CachedToken {
  token: string;
}

const RENEW_BEFORE_S = 300;
/** How long a failed renewal of a token answers for that token: long enough to collapse a burst. */
const FAILED_RENEWAL_MS = 2000;
const FORCE_SPACING_MS = 30_000;
const FORCES_PER_DAY = 20;
const DAY_MS = 24 * 3600 * 1000;

/** The shared app access tokens (see the module comment). */
export class AppAccessTokens {
  readonly #store: KeyValueStore;
  readonly #clientOf: (appid: string) => MiniProgramClient;
  readonly #prefix: string;
  readonly #lockTtlMs: number;
  readonly #waitStepMs: number;

  constructor(options: AppAccessTokensOptions) {
    this.#store = options.store;
    this.#clientOf = options.clientOf;
    this.#prefix = options.keyPrefix ?? 'wechat:mp:token:';
    this.#lockTtlMs = options.lockTtlMs ?? 15_000;
    this.#waitStepMs = options.waitStepMs ?? 25;
  }

  /** The app's access token, from the cache or fetched once for everyone waiting. */
  get(appid: string): Promise<string> {
    return this.#singleFlight(appid, null);
  }

  /**
   * Runs `call` with the app's token; if WeChat rejects the token (40001/42001), renews it (see
   * the module comment) and runs `call` once more. Other failures propagate unchanged.
   */
  async withToken<T>(appid: string, call: (accessToken: string) => Promise<T>): Promise<T> {
    const token = await this.get(appid);
    try {
      return await call(token);
    } catch (error) {
      if (!isAccessTokenRejected(error)) throw error;
      return call(await this.#singleFlight(appid, token));
    }
  }

  /**
   * A usable token: a cached one (other than `rejected`), else one fetched by the lock holder.
   * Waiters poll the cache; a holder that gives up (error) frees the lock for the next.
   */
  async #singleFlight(appid: string, rejected: string | null): Promise<string> {
    const deadline = Date.now() + 2 * this.#lockTtlMs;
    for (;;) {
      const cached = await this.#cached(appid);
      if (cached !== null && cached !== rejected) return cached;
      if (rejected !== null && (await this.#store.get(this.#key('failed', appid))) === rejected) throw cannotRenew();
      const owner = randomUUID();
      if (await this.#store.setIfAbsent(this.#key('lock', appid), owner, this.#lockTtlMs)) {
        try {
          // The previous holder may have finished between our read and our lock.
          const again = await this.#cached(appid);
          if (again !== null && again !== rejected) return again;
          return await this.#fetch(appid, rejected);
        } finally {
          if ((await this.#store.get(this.#key('lock', appid))) === owner) await this.#store.delete(this.#key('lock', appid));
        }
      }
      if (Date.now() > deadline) throw new WechatRetryLater(null, 'Timed out waiting for the WeChat app access token; try again shortly.');
      await sleep(this.#waitStepMs);
    }
  }

  /** Lock held: normal mode, then (same rejected token) a force refresh within WeChat's limits. */
  async #fetch(appid: string, rejected: string | null): Promise<string> {
    const client = this.#clientOf(appid);
    const normal = await this.#call(() => client.stableToken(false));
    if (rejected === null || normal.access_token !== rejected) return this.#cache(appid, normal);
    if (!(await this.#reserveForce(appid))) {
      await this.#store.set(this.#key('failed', appid), rejected, FAILED_RENEWAL_MS);
      throw cannotRenew();
    }
    return this.#cache(appid, await this.#call(() => client.stableToken(true)));
  }

  /** Reserves one force refresh (≥ 30 s after the last, ≤ 20 a day), before making it; false when none is left. */
  async #reserveForce(appid: string): Promise<boolean> {
    if (!(await this.#store.setIfAbsent(this.#key('force-gap', appid), '1', FORCE_SPACING_MS))) return false;
    return (await this.#store.increment(this.#key('force-day', appid), DAY_MS)) <= FORCES_PER_DAY;
  }

  async #call(fetchToken: () => Promise<StableToken>): Promise<StableToken> {
    try {
      return await fetchToken();
    } catch (error) {
      throw miniProgramErrorOf(error);
    }
  }

  async #cache(appid: string, answer: StableToken): Promise<string> {
    const ttlMs = Math.max(1, answer.expires_in > 2 * RENEW_BEFORE_S ? answer.expires_in - RENEW_BEFORE_S : Math.floor(answer.expires_in / 2)) * 1000;
    const record: CachedToken = { token: answer.access_token };
    await this.#store.set(this.#key('cache', appid), JSON.stringify(record), ttlMs);
    return answer.access_token;
  }

  async #cached(appid: string): Promise<string | null> {
    const raw = await this.#store.get(this.#key('cache', appid));
    return raw === null ? null : (JSON.parse(raw) as CachedToken).token;
  }

  #key(kind: 'cache' | 'lock' | 'failed' | 'force-gap' | 'force-day', appid: string): string {
    return `${this.#prefix}${kind}:${appid}`;
  }
}

function cannotRenew(): WechatRetryLater {
  return new WechatRetryLater(null, 'WeChat refused the app access token and it cannot be renewed yet; try again shortly.');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
