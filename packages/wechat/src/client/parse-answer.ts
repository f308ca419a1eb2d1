/** Validation of a WeChat API answer, shared by the OAuth and Mini Program clients. */
import type { z } from 'zod';
import { WechatApiError } from '../errors.js';

/**
 * The answer parsed by `schema`; otherwise a WechatApiError (`wechat_invalid_response`) that
 * lists field paths and issue codes only, never values (an answer may hold tokens or a session_key).
 */
export function parseAnswer<S extends z.ZodType>(schema: S, body: Record<string, unknown>, path: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`);
  throw new WechatApiError({
    code: 'wechat_invalid_response',
    endpoint: path,
    errmsg: `unexpected answer (${fields.join('; ')})`,
  });
}
