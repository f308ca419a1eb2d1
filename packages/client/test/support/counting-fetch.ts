/** A fetch that records the procedure paths of each request (`/trpc/a,b?batch=1` → ['a', 'b']). */
export interface CountingFetch {
  fetch: typeof fetch;
  calls: string[][];
  /** How many requests included `path`. */
  count(path: string): number;
}

export function countingFetch(base: typeof fetch = globalThis.fetch): CountingFetch {
  const calls: string[][] = [];
  const wrapped = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const paths = decodeURIComponent(url.pathname.replace(/^.*\/trpc\//, '')).split(',');
    calls.push(paths);
    return base(input, init);
  };
  return { fetch: wrapped as typeof fetch, calls, count: (path) => calls.filter((c) => c.includes(path)).length };
}
