/**
 * Shapes of the successful answers of the `/sns/*` API, validated with zod. Unknown fields are
 * dropped (WeChat adds fields without notice); values are treated as opaque non-empty strings
 * and never checked against the observed lengths, which WeChat does not promise.
 */
import { z } from 'zod';

/** An optional id WeChat may send as `""`: an empty string means "absent". */
const optionalId = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

/** Answer of `/sns/oauth2/access_token` and `/sns/oauth2/refresh_token`. */
export const accessTokenSchema = z.object({
  access_token: z.string().min(1),
  /** Seconds; 7200 today, but read it rather than assume it. */
  expires_in: z.number().int().positive(),
  refresh_token: z.string().min(1),
  /** The user's id within this appid. */
  openid: z.string().min(1),
  /** Granted scopes, comma-separated. */
  scope: z.string(),
  /** The user's id within the open-platform account; absent for unbound apps and `snsapi_base`. */
  unionid: optionalId,
  /** `1` only for snapshot-mode virtual users; never persist such identities. */
  is_snapshotuser: z.number().int().optional(),
});

/** Answer of `/sns/userinfo`. `sex` is always 0 and the region fields empty since 2021-10-20. */
export const userInfoSchema = z.object({
  openid: z.string().min(1),
  /** UTF-8, may contain emoji; not unique. */
  nickname: z.string(),
  sex: z.number().int(),
  province: z.string().default(''),
  city: z.string().default(''),
  country: z.string().default(''),
  /** Avatar URL whose last path segment is the size; empty when the user has none. */
  headimgurl: z.string().default(''),
  privilege: z.array(z.string()).default([]),
  unionid: optionalId,
  /** Undocumented but present in real answers. */
  language: z.string().optional(),
});

/** Answer of `/sns/auth` when the token is valid (errcode 0). */
export const checkTokenSchema = z.object({
  errcode: z.literal(0),
  errmsg: z.string(),
});

export type WechatAccessToken = z.output<typeof accessTokenSchema>;
export type WechatUserInfo = z.output<typeof userInfoSchema>;
