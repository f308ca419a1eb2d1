import { SseParser, type SseMessage } from './sse-parser.js';

/** Options of {@link FetchEventSource}: EventSource's, plus what native EventSource cannot do. */
export interface FetchEventSourceInit {
  /** Send cookies cross-origin (`credentials: 'include'`); same-origin ones are always sent. */
  withCredentials?: boolean;
  /** Extra request headers, e.g. `Authorization` (native EventSource cannot send any). */
  headers?: Record<string, string>;
  /** The fetch to use (a cookie jar in Node, a test double). Default: the global fetch. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

/** An event as listeners get it: `data`/`lastEventId` for messages, `status` for a refused connection. */
export interface FetchEventSourceEvent {
  type: string;
  data?: string;
  lastEventId?: string;
  /** HTTP status when the server refused the stream (the source is then CLOSED). */
  status?: number;
  /** For `error` events: what happened (tRPC uses it as the error message). */
  message?: string;
}

type Listener = (event: FetchEventSourceEvent) => void;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;
// What browsers wait before reconnecting when the server sent no `retry:`.
const DEFAULT_RETRY_MS = 1000;

/**
 * A fetch-based EventSource: what tRPC's httpSubscriptionLink needs from one (readyState,
 * add/removeEventListener, close, `open`/`error`/message events, automatic reconnection with
 * `Last-Event-ID`), but able to send headers and to run where there is no EventSource (Node 20)
 * or where cookies live in a custom fetch. Plain web APIs only, so it works in browsers too.
 *
 * As with EventSource: an answer that is not `200 text/event-stream` fails the source (CLOSED,
 * then `error`); a network error or the stream ending makes it reconnect (CONNECTING, `error`).
 */
export class FetchEventSource {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSED = CLOSED;
  readyState: number = CONNECTING;
  readonly url: string;
  readonly withCredentials: boolean;

  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly abort = new AbortController();
  private readonly init: FetchEventSourceInit;
  private lastEventId = '';
  private retryMs = DEFAULT_RETRY_MS;

  constructor(url: string | URL, init: FetchEventSourceInit = {}) {
    this.url = String(url);
    this.init = init;
    this.withCredentials = init.withCredentials ?? false;
    void this.run();
  }

  /** Call `listener` for every event of `type` (`open`, `error`, `message` or a named event); adding one twice has no effect. */
  addEventListener(type: string, listener: Listener): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  /** Stop calling `listener` for `type`; unknown listeners are ignored. */
  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  /** CLOSED for good: aborts the current request and never reconnects. Idempotent. */
  close(): void {
    this.readyState = CLOSED;
    this.abort.abort();
  }

  private async run(): Promise<void> {
    while (this.readyState !== CLOSED) {
      let response: Response;
      try {
        response = await this.connect();
      } catch {
        if (this.readyState === CLOSED) return;
        await this.reconnectLater();
        continue;
      }
      const type = response.headers.get('content-type') ?? '';
      if (response.status !== 200 || !type.toLowerCase().startsWith('text/event-stream') || !response.body) {
        void response.body?.cancel().catch(() => undefined);
        this.readyState = CLOSED;
        this.emit({ type: 'error', status: response.status, message: `The subscription was refused (HTTP ${response.status}).` });
        return;
      }
      this.readyState = OPEN;
      this.emit({ type: 'open' });
      try {
        await this.read(response.body);
      } catch {
        // A broken connection is handled like a finished one: reconnect.
      }
      if (this.readyState === CLOSED) return;
      await this.reconnectLater();
    }
  }

  private connect(): Promise<Response> {
    const fetchImpl = this.init.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
    const headers: Record<string, string> = { accept: 'text/event-stream', ...this.init.headers };
    if (this.lastEventId !== '') headers['last-event-id'] = this.lastEventId;
    return fetchImpl(this.url, {
      headers,
      credentials: this.withCredentials ? 'include' : 'same-origin',
      signal: this.abort.signal,
    });
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = new SseParser(
      (message) => this.dispatch(message),
      (ms) => {
        this.retryMs = ms;
      },
      this.lastEventId,
    );
    const decoder = new TextDecoder();
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
        if (this.readyState === CLOSED) return;
      }
      parser.push(decoder.decode());
      parser.end();
    } finally {
      void reader.cancel().catch(() => undefined);
    }
  }

  private dispatch(message: SseMessage): void {
    this.lastEventId = message.lastEventId;
    if (this.readyState === CLOSED) return;
    this.emit({ type: message.type, data: message.data, lastEventId: message.lastEventId });
  }

  private async reconnectLater(): Promise<void> {
    this.readyState = CONNECTING;
    this.emit({ type: 'error', message: 'The subscription connection was lost; reconnecting.' });
    if (this.readyState === CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.retryMs);
      this.abort.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }

  private emit(event: FetchEventSourceEvent): void {
    for (const listener of [...(this.listeners.get(event.type) ?? [])]) listener(event);
  }
}
