// A stand-in for POST /api/chat in unit tests: answers with the event stream the server sends
// (docs/assistant.md), in the chunks given, or with an error.
import type { ChatAction, ChatDone } from '../api/types';

export function chatEvents(id: string, text: string, actions: ChatAction[], awaiting: ChatDone['awaiting'] = null): string {
  const done: ChatDone = {
    conversation_id: id,
    awaiting,
    message: { role: 'assistant', text, actions, created_at: '2026-12-06T10:00:00.000Z' },
  };
  const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  return (
    event('conversation', { conversation_id: id }) +
    text
      .split('\n')
      .map((line, i) => event('delta', { text: (i ? '\n' : '') + line }))
      .join('') +
    actions.map((a) => event('action', a)).join('') +
    event('done', done)
  );
}

// A 200 text/event-stream answer whose body arrives in these chunks (strings or bytes).
export function streamResponse(chunks: (string | Uint8Array)[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(typeof c === 'string' ? encoder.encode(c) : c);
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } });
}

export function errorResponse(status: number, code: string, message: string, details: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ error: { code, message, details } }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}
