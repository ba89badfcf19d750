// Server-Sent Events read from a byte stream: POST /api/chat answers with one, and EventSource
// cannot POST, so the chat reads it with fetch and this parser. It follows the parsing rules of
// the HTML standard that a stream of named events needs: lines end with CRLF, LF or CR; `event:`
// names the event, `data:` lines are joined with LF, `:` starts a comment, a blank line dispatches
// (an event without data is dropped), and an unfinished event at the end of the stream is dropped.
// Chunks may be split anywhere, also inside a UTF-8 character or between CR and LF.

export interface SseEvent {
  event: string; // "message" when the stream names none
  data: string;
}

export class SseParser {
  private readonly decoder = new TextDecoder();
  private line = '';
  private skipLf = false; // the last chunk ended with CR: a LF opening the next one is its pair
  private name = '';
  private data: string[] = [];

  constructor(private readonly onEvent: (e: SseEvent) => void) {}

  push(chunk: Uint8Array | string): void {
    this.feed(typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
  }

  // The stream ended: what is left of a multi-byte character is decoded, an unfinished event dropped.
  end(): void {
    this.feed(this.decoder.decode());
    this.line = '';
    this.name = '';
    this.data = [];
  }

  private feed(text: string): void {
    let i = 0;
    if (this.skipLf && text.length > 0) {
      if (text.charCodeAt(0) === 10) i = 1;
      this.skipLf = false;
    }
    let start = i;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.field(this.line + text.slice(start, i));
      this.line = '';
      if (c === 13) {
        if (i + 1 === text.length) this.skipLf = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.line += text.slice(start);
  }

  private field(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.onEvent({ event: this.name || 'message', data: this.data.join('\n') });
      this.name = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const key = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (key === 'event') this.name = value;
    else if (key === 'data') this.data.push(value);
    // id and retry matter to EventSource's reconnection only; one POST is never resumed.
  }
}
