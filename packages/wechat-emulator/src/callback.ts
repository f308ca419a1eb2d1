/**
 * Building callback URLs and, on request, hitting them the way WeChat's browser would.
 *
 * `redirect_uri?code=CODE&state=STATE`, joined with `&` when the URI already has a query, and
 * inserted before any `#fragment` (§1). The existing query is kept byte for byte rather than
 * re-serialized. `state` is always present, empty when the link had none: the documented
 * template always carries it [?].
 */
import type { CallbackFetch } from './context.js';

export function callbackUrl(redirectUri: string, params: { code?: string; state: string | undefined }): string {
  const hashAt = redirectUri.indexOf('#');
  const base = hashAt < 0 ? redirectUri : redirectUri.slice(0, hashAt);
  const fragment = hashAt < 0 ? '' : redirectUri.slice(hashAt);
  const pairs: string[] = [];
  if (params.code !== undefined) pairs.push(`code=${encodeURIComponent(params.code)}`);
  pairs.push(`state=${encodeURIComponent(params.state ?? '')}`);
  const joiner = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${joiner}${pairs.join('&')}${fragment}`;
}

/** What happened when the emulator requested a callback URL itself. */
export interface CallbackOutcome {
  url: string;
  /** HTTP status, absent when the request failed. */
  status?: number;
  /** The callback's own redirect target (`Location`), if it answered with one. */
  location?: string;
  /** Why the request failed (connection refused, timeout, …). */
  error?: string;
}

/**
 * Requests each URL in turn (one after the other, so duplicate-callback tests are
 * deterministic), without following redirects, sending `headers` (e.g. the browser's cookie).
 */
export async function performCallbacks(fetchImpl: CallbackFetch, urls: readonly string[], headers: Record<string, string> = {}): Promise<CallbackOutcome[]> {
  const outcomes: CallbackOutcome[] = [];
  for (const url of urls) {
    try {
      const response = await fetchImpl(url, { redirect: 'manual', headers, signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      const location = response.headers.get('location');
      outcomes.push(location ? { url, status: response.status, location } : { url, status: response.status });
    } catch (error) {
      outcomes.push({ url, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}
