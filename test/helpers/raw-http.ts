/**
 * Plain HTTP for the abuse tests: node:http with keep-alive (much cheaper per request than
 * fetch, which matters at 10,000 requests), every request bounded by a timeout (a hang is a
 * finding, not a stuck test), and raw TCP for requests no well-behaved client would send
 * (header injection, broken framing).
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export interface RawRequest {
  method?: string;
  /** Path and query, already encoded. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export class HttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly host: string;
  private readonly port: number;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  send(req: RawRequest): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const r = request({ agent: this.agent, host: this.host, port: this.port, method: req.method ?? 'GET', path: req.path, headers: req.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      r.setTimeout(this.timeoutMs, () => r.destroy(new Error(`no complete answer within ${this.timeoutMs} ms (hung)`)));
      r.on('error', reject);
      r.end(req.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Write `bytes` on a fresh TCP connection and read until the server closes it or `timeoutMs`
 * passes; returns the status line's code (null when the server answered nothing) and the text.
 */
export function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 3000): Promise<{ status: number | null; text: string }> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : null, text });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One response is enough: stop at the end of its head when no body follows, or at close.
      const text = Buffer.concat(chunks).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      if (head >= 0) {
        const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, head));
        if (length && text.length - head - 4 >= Number(length[1])) finish();
      }
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(bytes);
  });
}
