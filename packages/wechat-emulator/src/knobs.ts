/**
 * Runtime knobs: behaviour switches for WeChat's quirks and for fault injection. Plain JSON, so
 * the same patch works from the JS API (`emulator.knobs.set`), from construction options and
 * from `PATCH /__emulator/knobs`.
 */
import { z } from 'zod';

/**
 * The API endpoints, by the last part of their path: the OAuth `/sns/*` ones, then the Mini
 * Program's `/sns/jscode2session`, `/cgi-bin/stable_token` and `/wxa/business/getuserphonenumber`.
 */
export const API_ENDPOINTS = ['access_token', 'refresh_token', 'auth', 'userinfo', 'jscode2session', 'stable_token', 'getuserphonenumber'] as const;
export type ApiEndpoint = (typeof API_ENDPOINTS)[number];

/**
 * `system_error`: answer `{"errcode":-1,…}` without processing the request (nothing consumed).
 * `malformed_json`: process the request normally (a code *is* consumed), then send a truncated
 * body, as when an answer is garbled in transit.
 * `high_risk`: answer 40226 (high-risk user, login blocked) without processing the request.
 * `frequency_limit`: answer 45011 (frequency limit) without processing the request.
 * `invalid_credential`: answer 40001 (access_token invalid or not the latest) without processing
 *   the request, as when WeChat has dropped a token early.
 */
export const FAULT_KINDS = ['system_error', 'malformed_json', 'high_risk', 'frequency_limit', 'invalid_credential'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface EmulatorKnobs {
  /** Queued faults per endpoint; each call of the endpoint consumes the first one. */
  faults: Record<ApiEndpoint, FaultKind[]>;
  /** Delay added before answering, per endpoint. */
  latencyMs: Record<ApiEndpoint, number>;
  /** Content-Type of API answers. Real WeChat sends the non-standard default, or `text/plain`. */
  contentType: string;
  /** On confirm, issue two codes for the same `state` and hit the callback twice (§2). */
  duplicateCallbacks: boolean;
  /** Users whose `snsapi_userinfo` authorizations on OA apps are in snapshot mode (§2). */
  snapshotUsers: string[];
  /** Users who get no unionid even where the app would have one. */
  usersWithoutUnionid: string[];
  /** Deny: `no_redirect` (current behaviour) or the legacy `redirect_uri?state=STATE`. */
  refusal: 'no_redirect' | 'state_only';
  /** errcode for an expired code: 40029 (what is usually observed) or 42003. */
  expiredCodeErrcode: 40029 | 42003;
  /** errcode for an unknown access_token: 40001 (usual) or 40014. */
  unknownTokenErrcode: 40001 | 40014;
  /** When set, authorize pages approve at once as this user (302 to the callback). */
  autoApproveUser: string | null;
  /** Reject `/connect/oauth2/authorize` links whose parameters are out of order, as WeChat does. */
  enforceParamOrder: boolean;
  /** Users whose Mini Program logins `jscode2session` refuses with 40226 (high-risk user). */
  highRiskUsers: string[];
  /** Mini Program calls (`jscode2session`, `getuserphonenumber`) per user per minute before 45011. WeChat: 100. */
  miniProgramCallsPerMinute: number;
  /** Answer phone numbers with this `watermark.appid` instead of the caller's (a misrouted or forged answer). */
  phoneWatermarkAppid: string | null;
  /** `countryCode` of phone answers as a string (`"86"`, the default) or a number (`86`); WeChat sends either. */
  phoneCountryCodeType: 'string' | 'number';
}

const endpointMap = <T extends z.ZodType>(value: T) => z.partialRecord(z.enum(API_ENDPOINTS), value);

/** A partial update; `faults`/`latencyMs` replace only the endpoints they name. */
export const knobsPatchSchema = z
  .object({
    faults: endpointMap(z.array(z.enum(FAULT_KINDS))),
    latencyMs: endpointMap(z.number().int().min(0)),
    contentType: z.string().min(1),
    duplicateCallbacks: z.boolean(),
    snapshotUsers: z.array(z.string()),
    usersWithoutUnionid: z.array(z.string()),
    refusal: z.enum(['no_redirect', 'state_only']),
    expiredCodeErrcode: z.union([z.literal(40029), z.literal(42003)]),
    unknownTokenErrcode: z.union([z.literal(40001), z.literal(40014)]),
    autoApproveUser: z.string().nullable(),
    enforceParamOrder: z.boolean(),
    highRiskUsers: z.array(z.string()),
    miniProgramCallsPerMinute: z.number().int().min(1),
    phoneWatermarkAppid: z.string().nullable(),
    phoneCountryCodeType: z.enum(['string', 'number']),
  })
  .partial()
  .strict();

export type KnobsPatch = z.input<typeof knobsPatchSchema>;

const perEndpoint = <T>(make: () => T): Record<ApiEndpoint, T> =>
  Object.fromEntries(API_ENDPOINTS.map((endpoint) => [endpoint, make()])) as Record<ApiEndpoint, T>;

function defaults(): EmulatorKnobs {
  return {
    faults: perEndpoint<FaultKind[]>(() => []),
    latencyMs: perEndpoint(() => 0),
    contentType: 'application/json; encoding=utf-8',
    duplicateCallbacks: false,
    snapshotUsers: [],
    usersWithoutUnionid: [],
    refusal: 'no_redirect',
    expiredCodeErrcode: 40029,
    unknownTokenErrcode: 40001,
    autoApproveUser: null,
    enforceParamOrder: true,
    highRiskUsers: [],
    miniProgramCallsPerMinute: 100,
    phoneWatermarkAppid: null,
    phoneCountryCodeType: 'string',
  };
}

/** Knob state with its operations. `reset()` returns to the values given at construction. */
export interface KnobController {
  /** A copy of the current knobs. */
  get(): EmulatorKnobs;
  /** Applies a partial update (validated; throws on unknown keys or bad values). */
  set(patch: KnobsPatch): EmulatorKnobs;
  /** Queues `times` faults of `kind` (default `system_error`, i.e. errcode -1) for `endpoint`. */
  failNext(endpoint: ApiEndpoint, times?: number, kind?: FaultKind): EmulatorKnobs;
  /** Takes the next queued fault of `endpoint`, if any (used by the API routes). */
  takeFault(endpoint: ApiEndpoint): FaultKind | undefined;
  reset(): EmulatorKnobs;
}

export function createKnobs(initial: KnobsPatch = {}): KnobController {
  let knobs = defaults();

  const copy = (): EmulatorKnobs => structuredClone(knobs);
  const apply = (patch: KnobsPatch): EmulatorKnobs => {
    const parsed = knobsPatchSchema.parse(patch);
    const { faults, latencyMs, ...rest } = parsed;
    const next: EmulatorKnobs = { ...knobs, ...rest, faults: { ...knobs.faults }, latencyMs: { ...knobs.latencyMs } };
    for (const [endpoint, queue] of Object.entries(faults ?? {})) {
      if (queue) next.faults[endpoint as ApiEndpoint] = [...queue];
    }
    for (const [endpoint, ms] of Object.entries(latencyMs ?? {})) {
      if (ms !== undefined) next.latencyMs[endpoint as ApiEndpoint] = ms;
    }
    knobs = next;
    return copy();
  };
  apply(initial);

  return {
    get: copy,
    set: apply,
    failNext(endpoint, times = 1, kind = 'system_error') {
      if (!API_ENDPOINTS.includes(endpoint)) throw new RangeError(`unknown endpoint ${String(endpoint)}`);
      if (!Number.isInteger(times) || times < 0) throw new RangeError('times must be an integer ≥ 0');
      knobs.faults[endpoint].push(...Array<FaultKind>(times).fill(kind));
      return copy();
    },
    takeFault: (endpoint) => knobs.faults[endpoint].shift(),
    reset() {
      knobs = defaults();
      return apply(initial);
    },
  };
}
