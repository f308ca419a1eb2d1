/**
 * Minimal request-body reader for the emulator (form and JSON), so it needs no body-parser
 * dependency. WeChat's API accepts form POSTs from some clients (§3), and the consent page's
 * buttons post forms.
 */
import type { Context } from 'koa';

const LIMIT_BYTES = 64 * 1024;

export class BodyError extends Error {}

/** Fields of a form or JSON-object body; `{}` for GET or other content types. */
export async function readBody(ctx: Context): Promise<Record<string, unknown>> {
  if (ctx.method === 'GET' || ctx.method === 'HEAD') return {};
  const type = ctx.request.is('application/x-www-form-urlencoded', 'application/json');
  if (!type) {
    ctx.req.resume();
    return {};
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > LIMIT_BYTES) throw new BodyError('request body too large');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  if (text.trim() === '') return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new BodyError('request body is not valid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new BodyError('request body must be a JSON object');
  return data as Record<string, unknown>;
}
