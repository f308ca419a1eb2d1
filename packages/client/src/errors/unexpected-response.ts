/**
 * An HTTP answer that is not the API's JSON (a proxy's HTML error page, a 502 from a load
 * balancer, a login wall). Thrown by the client's fetch wrapper so the status survives: tRPC
 * would otherwise only report that the body is not JSON.
 */
export class UnexpectedResponse extends Error {
  constructor(
    readonly status: number,
    /** Seconds from a Retry-After header, when the answer had one. */
    readonly retryAfter?: number,
  ) {
    super(`Unexpected HTTP ${status} answer (not the API's JSON).`);
    this.name = 'UnexpectedResponse';
  }
}

/** Seconds from a Retry-After header value (delta-seconds or HTTP date); undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
