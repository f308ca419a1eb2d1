/** One dispatched server-sent event. */
export interface SseMessage {
  /** `event:` field; `message` when absent. */
  type: string;
  data: string;
  /** The last `id:` seen so far on this connection (spec: it persists across events). */
  lastEventId: string;
}

/**
 * Incremental parser of the `text/event-stream` format (WHATWG HTML § 9.2.6): feed it decoded
 * text in chunks of any size; it calls `onMessage` per dispatched event and `onRetry` for a
 * valid `retry:` field. Lines may end in CRLF, LF or CR, also split across chunks.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private type = '';
  private lastEventId: string;
  private sawData = false;

  constructor(
    private readonly onMessage: (message: SseMessage) => void,
    private readonly onRetry: (ms: number) => void = () => undefined,
    lastEventId = '',
  ) {
    this.lastEventId = lastEventId;
  }

  /** Parse more text. */
  push(text: string): void {
    this.buffer += text;
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (end === cr && cr === this.buffer.length - 1) break;
      this.line(this.buffer.slice(start, end));
      start = end + (end === cr && this.buffer[cr + 1] === '\n' ? 2 : 1);
    }
    this.buffer = this.buffer.slice(start);
  }

  /** The stream ended: an unterminated last event is dropped, as the spec says. */
  end(): void {
    this.buffer = '';
    this.reset();
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.type = value;
        break;
      case 'data':
        this.data.push(value);
        this.sawData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.onRetry(Number(value));
        break;
    }
  }

  private dispatch(): void {
    if (this.sawData) this.onMessage({ type: this.type || 'message', data: this.data.join('\n'), lastEventId: this.lastEventId });
    this.reset();
  }

  private reset(): void {
    this.data = [];
    this.type = '';
    this.sawData = false;
  }
}
