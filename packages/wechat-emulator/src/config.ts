/**
 * Configuration types of the emulator and their normalization. Lifetimes follow the protocol
 * reference (§3.5, §7): code 600 s for website apps and 300 s for Official Accounts,
 * access_token 7200 s, refresh_token 30 days from authorization.
 */

/** `website`: Open Platform website app (QR login). `oa`: Official Account (in-WeChat web auth). */
export type AppKind = 'website' | 'oa';

/** An app as given in the options. */
export interface EmulatorAppInput {
  appid: string;
  secret: string;
  /**
   * Hosts a `redirect_uri` may point at. An entry without a port (`localhost`) matches that
   * hostname on any port; an entry with one (`localhost:3000`) matches exactly.
   */
  allowedCallbackHosts: string[];
  /** Apps sharing an open-platform account share unionids; none = no unionid. */
  openPlatformId?: string;
  /** Default `website`. */
  kind?: AppKind;
  /** Default 600 (website) / 300 (oa). */
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
}

export const ACCESS_TOKEN_TTL_SECONDS = 7200;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
/** How long a QR code / consent page stays usable. Not documented by WeChat [?]. */
export const LOGIN_SESSION_TTL_SECONDS = 300;

export function normalizeApp(input: EmulatorAppInput): EmulatorApp {
  if (!input.appid || !input.secret) throw new TypeError('WeChat emulator: every app needs an appid and a secret');
  const kind = input.kind ?? 'website';
  return {
    appid: input.appid,
    secret: input.secret,
    allowedCallbackHosts: input.allowedCallbackHosts.map((host) => host.toLowerCase()),
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
