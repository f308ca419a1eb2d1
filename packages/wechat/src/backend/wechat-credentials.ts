import { z } from 'zod';

/**
 * What WechatBackend authenticates: an authorization code from WeChat's callback, and the app
 * it was issued to (default: the first configured app). The code is single-use and is never
 * logged: core masks any credential key containing "code" in its events.
 */
export interface WechatCredentials {
  wechatCode: string;
  appid?: string;
}

const credentialsSchema = z.object({
  // Codes are 32 characters in practice; the bound only refuses absurd input.
  wechatCode: z.string().min(1).max(512),
  appid: z.string().min(1).max(64).optional(),
});

/** True for `{ wechatCode, appid? }`: a non-empty code of at most 512 characters, an appid of 1–64; extra keys allowed. */
export function isWechatCredentials(value: unknown): value is WechatCredentials {
  return credentialsSchema.safeParse(value).success;
}
