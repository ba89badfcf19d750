import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse';

// The stream POST /api/chat sends (docs/assistant.md), with characters of 2 and 3 bytes in UTF-8.
const STREAM =
  'event: conversation\ndata: {"conversation_id":"5c0e"}\n\n' +
  'event: delta\ndata: {"text":"Added “pay rent” — é"}\n\n' +
  'event: action\ndata: {"type":"task","change":"added","id":42}\n\n' +
  'event: done\ndata: {"conversation_id":"5c0e","awaiting":null}\n\n';

const EXPECTED: SseEvent[] = [
  { event: 'conversation', data: '{"conversation_id":"5c0e"}' },
  { event: 'delta', data: '{"text":"Added “pay rent” — é"}' },
  { event: 'action', data: '{"type":"task","change":"added","id":42}' },
  { event: 'done', data: '{"conversation_id":"5c0e","awaiting":null}' },
];

function parse(chunks: (Uint8Array | string)[], end = true): SseEvent[] {
  const out: SseEvent[] = [];
  const p = new SseParser((e) => out.push(e));
  for (const c of chunks) p.push(c);
  if (end) p.end();
  return out;
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe('SseParser', () => {
  it('reads the chat stream in one chunk', () => {
    expect(parse([bytes(STREAM)])).toEqual(EXPECTED);
  });

  it('gives the same events whatever byte the stream is split at, also inside a character', () => {
    const all = bytes(STREAM);
    for (let cut = 0; cut <= all.length; cut++) {
      expect(parse([all.slice(0, cut), all.slice(cut)]), `split at byte ${cut}`).toEqual(EXPECTED);
    }
  });

  it('reads a stream that arrives one byte at a time', () => {
    const all = bytes(STREAM);
    expect(parse([...all].map((b) => Uint8Array.of(b)))).toEqual(EXPECTED);
  });

  it('reads CRLF and lone CR line ends, also with CR and LF in different chunks', () => {
    const crlf = STREAM.replace(/\n/g, '\r\n');
    const cr = STREAM.replace(/\n/g, '\r');
    expect(parse([bytes(crlf)])).toEqual(EXPECTED);
    expect(parse([bytes(cr)])).toEqual(EXPECTED);
    const all = bytes(crlf);
    for (let cut = 0; cut <= all.length; cut++) {
      expect(parse([all.slice(0, cut), all.slice(cut)]), `CRLF split at byte ${cut}`).toEqual(EXPECTED);
    }
    // A CR at a chunk's end followed by a chunk that starts a new line (not LF) ends one line.
    expect(parse(['data: a\r', '\r'])).toEqual([{ event: 'message', data: 'a' }]);
  });

  it('joins data lines with LF, skips comments, unknown fields and one space after the colon', () => {
    const got = parse([': keep-alive\nevent:delta\ndata:  two spaces\ndata\ndata: last\nid: 7\nretry: 10\n\n']);
    expect(got).toEqual([{ event: 'delta', data: ' two spaces\n\nlast' }]);
  });

  it('names an unnamed event "message", drops one without data, resets the name after each', () => {
    const got = parse(['data: a\n\nevent: ping\n\ndata: b\n\n']);
    expect(got).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
  });

  it('dispatches nothing before the blank line, and drops an event the stream cut off', () => {
    expect(parse(['event: done\ndata: {}\n'], false)).toEqual([]);
    expect(parse(['event: done\ndata: {}\n'])).toEqual([]);
    expect(parse(['event: done\ndata: {}'])).toEqual([]);
  });
});
