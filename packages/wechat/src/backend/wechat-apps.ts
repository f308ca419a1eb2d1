/**
 * The WeChat apps a site is registered as, and one API client per app. The AppSecrets go into
 * the clients (which keep them in private fields) and are not kept anywhere else, so logging
 * this object, the backend or the flows never prints a secret.
 */
import { ImproperlyConfigured } from '@koa-auth/core';
import { WechatClient, type WechatClientOptions } from '../client/index.js';
import { MiniProgramClient } from '../client/mini-program-client.js';

/**
 * `website`: Open Platform website app (QR login). `oa`: Official Account (in-WeChat web auth).
 * `miniprogram`: Mini Program (`wx.login()` codes, phone numbers).
 */
export type WechatAppKind = 'website' | 'oa' | 'miniprogram';

const KINDS: readonly WechatAppKind[] = ['website', 'oa', 'miniprogram'];

/** One registered app. */
export interface WechatAppConfig {
  appid: string;
  secret: string;
  /** Default `website`. */
  kind?: WechatAppKind;
}

/** A registered app as the rest of the package sees it: no secret. */
export interface WechatApp {
  readonly appid: string;
  readonly kind: WechatAppKind;
}

export interface WechatAppsOptions {
  /** At least one app. The first of each kind is the default for its flow. */
  apps: WechatAppConfig[];
  /** Base of the `/sns/*` API (the emulator's URL in tests). */
  apiBaseUrl?: string;
  /** Base of the `/connect/*` pages (the emulator's URL in tests). */
  openBaseUrl?: string;
  /** Further client settings (timeouts, retries, fetch). */
  client?: Omit<WechatClientOptions, 'appid' | 'secret' | 'apiBaseUrl' | 'openBaseUrl'>;
  /** Build the OAuth clients (website and OA apps) yourself instead (e.g. a shared fetch with a proxy). */
  createClient?: (app: { appid: string; secret: string; apiBaseUrl?: string; openBaseUrl?: string }) => WechatClient;
  /** Build the Mini Program clients yourself instead; by default they use `client`'s fetch, timeout and retry delay. */
  createMiniProgramClient?: (app: { appid: string; secret: string; apiBaseUrl?: string }) => MiniProgramClient;
}

/**
 * The apps a site is registered as (`list`, without secrets) and one WechatClient per app; the
 * AppSecrets live only inside those clients. Throws ImproperlyConfigured at construction for no
 * app, an app without appid or secret, or a duplicate appid.
 */
export class WechatApps {
  readonly list: readonly WechatApp[];
  readonly #clients = new Map<string, WechatClient>();
  readonly #miniProgramClients = new Map<string, MiniProgramClient>();

  /** Throws ImproperlyConfigured for no apps, a duplicate appid, a missing secret or an unknown kind. */
  constructor(options: WechatAppsOptions) {
    if (!options.apps || options.apps.length === 0) throw new ImproperlyConfigured('WeChat: configure at least one app ({ appid, secret }).');
    const list: WechatApp[] = [];
    for (const config of options.apps) {
      if (!config.appid || !config.secret) throw new ImproperlyConfigured('WeChat: every app needs an appid and a secret.');
      if (this.#clients.has(config.appid) || this.#miniProgramClients.has(config.appid)) {
        throw new ImproperlyConfigured(`WeChat: the appid ${config.appid} is configured twice.`);
      }
      const kind = config.kind ?? 'website';
      if (!KINDS.includes(kind)) throw new ImproperlyConfigured(`WeChat: app kind must be one of ${KINDS.join(', ')}.`);
      const api = options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {};
      if (kind === 'miniprogram') {
        const { fetch, timeoutMs, retryDelayMs } = options.client ?? {};
        const client = options.createMiniProgramClient
          ? options.createMiniProgramClient({ appid: config.appid, secret: config.secret, ...api })
          : new MiniProgramClient({
              ...(fetch ? { fetch } : {}),
              ...(timeoutMs ? { timeoutMs } : {}),
              ...(retryDelayMs !== undefined ? { retryDelayMs } : {}),
              ...api,
              appid: config.appid,
              secret: config.secret,
            });
        this.#miniProgramClients.set(config.appid, client);
      } else {
        const endpoints = { ...api, ...(options.openBaseUrl ? { openBaseUrl: options.openBaseUrl } : {}) };
        const client = options.createClient
          ? options.createClient({ appid: config.appid, secret: config.secret, ...endpoints })
          : new WechatClient({ ...options.client, ...endpoints, appid: config.appid, secret: config.secret });
        this.#clients.set(config.appid, client);
      }
      list.push(Object.freeze({ appid: config.appid, kind }));
    }
    this.list = Object.freeze(list);
  }

  /** The app with this appid, or the first configured app when `appid` is omitted. */
  resolve(appid?: string): WechatApp | undefined {
    return appid === undefined ? this.list[0] : this.list.find((app) => app.appid === appid);
  }

  /** The first app of `kind`, or the one named by `appid` if it has that kind. */
  ofKind(kind: WechatAppKind, appid?: string): WechatApp | undefined {
    return this.list.find((app) => app.kind === kind && (appid === undefined || app.appid === appid));
  }

  /** The OAuth API client of a configured website or OA app. Throws ImproperlyConfigured for any other appid. */
  client(appid: string): WechatClient {
    const client = this.#clients.get(appid);
    if (!client) throw new ImproperlyConfigured(`WeChat: the appid ${appid} is not configured as a website or OA app.`);
    return client;
  }

  /** The API client of a configured Mini Program. Throws ImproperlyConfigured for any other appid. */
  miniProgramClient(appid: string): MiniProgramClient {
    const client = this.#miniProgramClients.get(appid);
    if (!client) throw new ImproperlyConfigured(`WeChat: the appid ${appid} is not configured as a Mini Program.`);
    return client;
  }
}
