/**
 * Wraps an API handler with WeChat's transport behaviour and the fault knobs: added latency,
 * injected errcodes -1, 40226, 45011 and 40001 (request not processed), truncated JSON (request
 * processed), the configured Content-Type, and HTTP 200 for every answer, errors included
 * (§3, §4, §9). Every call is counted (`GET /__emulator` shows the counts).
 */
import type { Middleware } from 'koa';
import type { EmulatorContext } from './context.js';
import { errorBody } from './errcodes.js';
import type { ApiEndpoint } from './knobs.js';
import { readBody } from './read-body.js';

/** Request parameters: query and form/JSON body merged; empty values count as absent. */
export type ApiParams = (name: string) => string | undefined;

/** Body fields as sent (JSON keeps booleans such as `force_refresh`); `{}` for GET. */
export type ApiFields = Readonly<Record<string, unknown>>;

export type ApiHandler = (param: ApiParams, fields: ApiFields) => object;

/** Faults answered with an errcode instead of processing the request. */
const FAULT_ERRCODES = { system_error: -1, high_risk: 40226, frequency_limit: 45011, invalid_credential: 40001 } as const;

export function apiRoute(context: EmulatorContext, endpoint: ApiEndpoint, handler: ApiHandler): Middleware {
  return async (ctx) => {
    const latency = context.knobs.get().latencyMs[endpoint];
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

    context.calls.count(endpoint);
    const fault = context.knobs.takeFault(endpoint);
    let body: object;
    if (fault !== undefined && fault !== 'malformed_json') {
      body = errorBody(FAULT_ERRCODES[fault]);
    } else {
      // Clients add params freely and some POST forms; unknown params are ignored (§3).
      const fields: Record<string, unknown> = { ...(await readBody(ctx).catch(() => ({}))) };
      const param: ApiParams = (name) => {
        const fromBody = fields[name];
        const raw = typeof fromBody === 'string' ? fromBody : ctx.query[name];
        const value = Array.isArray(raw) ? raw[0] : raw;
        return value ? value : undefined;
      };
      body = handler(param, fields);
    }

    let text = JSON.stringify(body);
    if (fault === 'malformed_json') text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    ctx.status = 200;
    // Set before the body, so Koa keeps this exact value (including `encoding=utf-8`).
    ctx.set('Content-Type', context.knobs.get().contentType);
    ctx.body = text;
  };
}
