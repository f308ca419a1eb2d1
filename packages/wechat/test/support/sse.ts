/**
 * A minimal reader of a tRPC subscription over server-sent events: the JSON data of each event
 * (ping/connected/return events skipped; a `serialized-error` event is returned as `{ error }`).
 */
export interface SseReader<T> {
  /** The next data event, or null when the stream ended. */
  next(timeoutMs?: number): Promise<T | { error: unknown } | null>;
  close(): void;
}

export async function openSse<T>(url: string, headers: Record<string, string>): Promise<SseReader<T>> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  if (!response.body) throw new Error(`no SSE body (HTTP ${response.status})`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';

  async function readEvent(): Promise<{ event: string; data: string } | null> {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        return { event, data: data.join('\n') };
      }
      const { value, done } = await reader.read();
      if (done) return null;
      buffer += decoder.decode(value, { stream: true });
    }
  }

  return {
    async next(timeoutMs = 5000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no SSE event within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        for (;;) {
          const event = await Promise.race([readEvent(), timeout]);
          if (event === null || event.event === 'return') return null;
          if (event.event === 'serialized-error') return { error: JSON.parse(event.data) as unknown };
          if (event.event === 'message') return JSON.parse(event.data) as T;
        }
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      abort.abort();
    },
  };
}
