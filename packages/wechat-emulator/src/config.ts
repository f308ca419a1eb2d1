/**
 * Configuration types of the emulator and their normalization. Lifetimes follow the protocol
 * reference (§3.5, §7, §9): code 600 s for website apps, 300 s for Official Accounts and Mini
 * Program login/phone codes, access_token 7200 s, refresh_token 30 days from authorization.
 */

/**
 * `website`: Open Platform website app (QR login). `oa`: Official Account (in-WeChat web auth).
 * `miniprogram`: Mini Program (`wx.login` → `jscode2session`, phone numbers, `stable_token`).
 */
export type AppKind = 'website' | 'oa' | 'miniprogram';

/** The kinds, for validating input. */
export const APP_KINDS: readonly AppKind[] = ['website', 'oa', 'miniprogram'];

/** An app as given in the options. */
export interface EmulatorAppInput {
  appid: string;
  secret: string;
  /**
   * Hosts a `redirect_uri` may point at. An entry without a port (`localhost`) matches that
   * hostname on any port; an entry with one (`localhost:3000`) matches exactly. Default none
   * (Mini Programs have no redirects).
   */
  allowedCallbackHosts?: string[];
  /** Apps sharing an open-platform account share unionids; none = no unionid. */
  openPlatformId?: string;
  /** Default `website`. */
  kind?: AppKind;
  /** Default 600 (website) / 300 (oa, miniprogram). */
  codeTtlSeconds?: number;
}

/** A normalized app. */
export interface EmulatorApp {
  appid: string;
  secret: string;
  allowedCallbackHosts: string[];
  openPlatformId: string | undefined;
  kind: AppKind;
  codeTtlSeconds: number;
}

/** A test user, i.e. a WeChat account the emulated phone can act as. */
export interface EmulatorUser {
  /** Stable handle used by tests and the consent page; openid/unionid are derived from it. */
  key: string;
  nickname: string;
  sex: number;
  province: string;
  city: string;
  country: string;
  headimgurl: string;
  privilege: string[];
  language: string;
  /** The phone number bound to the WeChat account (what the `getPhoneNumber` button reveals); none = no phone codes. */
  phone?: EmulatorPhone;
}

/** A phone number as WeChat reports it: country calling code and the national number, digits only. */
export interface EmulatorPhone {
  /** e.g. `86`. */
  countryCode: string;
  /** e.g. `13800138000`. */
  number: string;
}

export const ACCESS_TOKEN_TTL_SECONDS = 7200;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
/** How long a QR code / consent page stays usable. Not documented by WeChat [?]. */
export const LOGIN_SESSION_TTL_SECONDS = 300;

export function normalizeApp(input: EmulatorAppInput): EmulatorApp {
  if (!input.appid || !input.secret) throw new TypeError('WeChat emulator: every app needs an appid and a secret');
  const kind = input.kind ?? 'website';
  if (!APP_KINDS.includes(kind)) throw new TypeError(`WeChat emulator: app kind must be one of ${APP_KINDS.join(', ')}`);
  return {
    appid: input.appid,
    secret: input.secret,
    allowedCallbackHosts: (input.allowedCallbackHosts ?? []).map((host) => host.toLowerCase()),
    openPlatformId: input.openPlatformId || undefined,
    kind,
    codeTtlSeconds: input.codeTtlSeconds ?? (kind === 'website' ? 600 : 300),
  };
}

/** Whether `url`'s host is one of the app's callback hosts (the path is not checked, as in WeChat). */
export function isAllowedCallback(app: EmulatorApp, url: URL): boolean {
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  return app.allowedCallbackHosts.some((allowed) => (allowed.includes(':') ? allowed === host : allowed === hostname));
}
