import { FetchEventSource, type FetchEventSourceEvent } from '../src/links/fetch-event-source.js';

/** A Response streaming `chunks`, then ending. */
function stream(chunks: string[], status = 200, type = 'text/event-stream'): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { status, headers: { 'content-type': type } });
}

function collect(source: FetchEventSource, types: string[]): FetchEventSourceEvent[] {
  const events: FetchEventSourceEvent[] = [];
  for (const type of types) source.addEventListener(type, (e) => events.push(e));
  return events;
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('FetchEventSource', () => {
  it('sends the given headers, emits open and messages, and reconnects with Last-Event-ID', async () => {
    const requests: { url: string; headers: Record<string, string>; credentials: unknown }[] = [];
    const answers = [stream(['retry: 10\nid: 1\ndata: first\n\n']), stream(['data: second\n\n'])];
    const source = new FetchEventSource('http://api.test/trpc/x', {
      headers: { authorization: 'Bearer abc' },
      fetch: async (url, init) => {
        requests.push({ url, headers: init.headers as Record<string, string>, credentials: init.credentials });
        return answers.shift() ?? new Promise<Response>(() => undefined);
      },
    });
    const events = collect(source, ['open', 'message', 'error']);
    await until(() => events.filter((e) => e.type === 'message').length === 2);
    source.close();

    // (The second stream ended too: a third connection may have begun.)
    expect(events.map((e) => e.type).slice(0, 5)).toEqual(['open', 'message', 'error', 'open', 'message']);
    expect(events.filter((e) => e.type === 'message').map((e) => e.data)).toEqual(['first', 'second']);
    expect(requests[0]?.headers).toMatchObject({ authorization: 'Bearer abc', accept: 'text/event-stream' });
    expect(requests[0]?.credentials).toBe('same-origin');
    expect(requests[1]?.headers['last-event-id']).toBe('1');
    expect(source.readyState).toBe(FetchEventSource.CLOSED);
  });

  it('fails (CLOSED, then error with the status) on an answer that is not an event stream', async () => {
    const source = new FetchEventSource('http://api.test/x', { fetch: async () => stream(['{}'], 401, 'application/json') });
    const events = collect(source, ['error', 'open']);
    await until(() => events.length > 0);
    expect(events).toEqual([expect.objectContaining({ type: 'error', status: 401 })]);
    expect(source.readyState).toBe(FetchEventSource.CLOSED);
  });

  it('stops at close(): aborts the request and emits nothing more', async () => {
    let signal: AbortSignal | undefined;
    const source = new FetchEventSource('http://api.test/x', {
      withCredentials: true,
      fetch: (_url, init) => {
        signal = init.signal ?? undefined;
        expect(init.credentials).toBe('include');
        return new Promise<Response>(() => undefined);
      },
    });
    const events = collect(source, ['error', 'open', 'message']);
    await until(() => signal !== undefined);
    source.close();
    expect(signal?.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]);
  });
});
