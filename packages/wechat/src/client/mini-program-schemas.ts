/**
 * Shapes of the Mini Program API's successful answers, validated with zod (unknown fields
 * dropped). `session_key` is read so the server can keep it; it is never logged or returned.
 */
import { z } from 'zod';

/** Answer of `/sns/jscode2session`. */
export const code2SessionSchema = z.object({
  openid: z.string().min(1),
  session_key: z.string().min(1),
  /** Only for Mini Programs bound to an open platform account; `""` counts as absent. */
  unionid: z
    .string()
    .optional()
    .transform((value) => (value ? value : undefined)),
});

/** Answer of `/cgi-bin/stable_token`. */
export const stableTokenSchema = z.object({
  access_token: z.string().min(1),
  /** Seconds; up to 7200. */
  expires_in: z.number().int().positive(),
});

/** `phone_info` of `/wxa/business/getuserphonenumber`. `countryCode` comes as a number or a string. */
export const phoneInfoSchema = z.object({
  phone_info: z.object({
    /** With the country code for numbers outside China. */
    phoneNumber: z.string(),
    /** Never with the country code. */
    purePhoneNumber: z.string(),
    countryCode: z.union([z.string(), z.number()]).transform((value) => String(value)),
    watermark: z.object({ timestamp: z.number(), appid: z.string() }),
  }),
});

export type Code2Session = z.output<typeof code2SessionSchema>;
export type StableToken = z.output<typeof stableTokenSchema>;
export type WechatPhoneInfo = z.output<typeof phoneInfoSchema>['phone_info'];
