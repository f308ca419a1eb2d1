import { SseParser, type SseMessage } from '../src/links/sse-parser.js';

function parse(chunks: string[]): { messages: SseMessage[]; retries: number[] } {
  const messages: SseMessage[] = [];
  const retries: number[] = [];
  const parser = new SseParser(
    (m) => messages.push(m),
    (ms) => retries.push(ms),
  );
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { messages, retries };
}

describe('SseParser', () => {
  it('dispatches events on blank lines, with type, multi-line data and the last id', () => {
    const { messages } = parse(['event: connected\ndata: {"a":1}\n\n', 'id: 7\ndata: one\ndata: two\n\n', 'data:x\n\n']);
    expect(messages).toEqual([
      { type: 'connected', data: '{"a":1}', lastEventId: '' },
      { type: 'message', data: 'one\ntwo', lastEventId: '7' },
      { type: 'message', data: 'x', lastEventId: '7' },
    ]);
  });

  it('accepts CRLF, LF and CR line ends, also split between chunks', () => {
    const { messages } = parse(['data: a\r', '\n\r', '\ndata: b\r\rdata: c\n', '\n']);
    expect(messages.map((m) => m.data)).toEqual(['a', 'b', 'c']);
  });

  it('ignores comments, unknown fields and events without data; drops an unterminated last event', () => {
    const { messages, retries } = parse([': ping\n\nfoo: bar\n\nevent: x\n\nretry: 2500\nretry: soon\ndata: kept\n\ndata: lost']);
    expect(messages.map((m) => m.data)).toEqual(['kept']);
    expect(retries).toEqual([2500]);
  });
});
