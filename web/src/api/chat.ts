// POST /api/chat: one turn of the assistant, its answer read as a stream of Server-Sent Events
// (conversation, delta, action, done; docs/assistant.md) with fetch, since EventSource cannot
// POST. A language model's text arrives a few characters at a time; a turn that could not be
// kept ends with an `error` event instead of `done`. Like every API call it sends the bearer token and, on a 401, waits for a new log-in and
// sends once more, so an expired session loses nothing that was typed.
import { api, apiErrorOf, NetworkError } from './client';
import type { ChatAction, ChatDone } from './types';
import { SseParser, type SseEvent } from '../lib/sse';

export interface ChatRequest {
  message: string;
  conversation_id?: string;
  time_zone?: string;
}

export type ChatEvent =
  | { type: 'conversation'; conversation_id: string }
  | { type: 'delta'; text: string }
  | { type: 'action'; action: ChatAction }
  | { type: 'done'; done: ChatDone };

export interface ChatHandlers {
  // The server took the message (the answer's status is 200): from here on it is the server's.
  accepted: () => void;
  event: (e: ChatEvent) => void;
}

// The stream ended (or broke) after the server took the message but before `done`.
export class ChatCutError extends Error {
  constructor(message = 'The reply was cut off before it finished.') {
    super(message);
    this.name = 'ChatCutError';
  }
}

// One SSE event as a ChatEvent; null for an event this client does not know or cannot read.
export function chatEvent(e: SseEvent): ChatEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(e.data);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const o = data as Record<string, unknown>;
  switch (e.event) {
    case 'conversation':
      return typeof o['conversation_id'] === 'string' ? { type: 'conversation', conversation_id: o['conversation_id'] } : null;
    case 'delta':
      return typeof o['text'] === 'string' ? { type: 'delta', text: o['text'] } : null;
    case 'action':
      return typeof o['type'] === 'string' ? { type: 'action', action: data as ChatAction } : null;
    case 'done':
      return typeof o['conversation_id'] === 'string' && typeof o['message'] === 'object' && o['message'] !== null
        ? { type: 'done', done: data as ChatDone }
        : null;
    default:
      return null;
  }
}

async function post(body: ChatRequest, token: string | null, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'text/event-stream', 'Content-Type': 'application/json' };
  if (token) headers['Authorization'] = `Bearer ${token}`;
  try {
    return await fetch('/api/chat', { method: 'POST', headers, body: JSON.stringify(body), signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new NetworkError();
  }
}

// Runs one turn: resolves with the `done` answer after every event was handed to `handlers`.
// Before `accepted`, failures are the request's (NetworkError, ApiError: nothing happened);
// after it, a broken or unfinished stream is a ChatCutError (the turn may have run).
export async function streamChat(body: ChatRequest, handlers: ChatHandlers, signal?: AbortSignal): Promise<ChatDone> {
  let res = await post(body, api.getToken(), signal);
  if (res.status === 401) res = await post(body, await api.reauthenticate(), signal);
  if (!res.ok) throw await apiErrorOf(res);
  handlers.accepted();

  const got: { done: ChatDone | null; error: string | null } = { done: null, error: null };
  const deliver = (e: SseEvent) => {
    if (e.event === 'error') {
      got.error = errorEventMessage(e.data);
      return;
    }
    const ev = chatEvent(e);
    if (!ev) return;
    if (ev.type === 'done') got.done = ev.done;
    handlers.event(ev);
  };
  if ((res.headers.get('Content-Type') ?? '').startsWith('application/json')) {
    // A server (or proxy) that answered the whole turn at once: the same events, from it.
    const whole = (await res.json()) as ChatDone;
    deliver({ event: 'conversation', data: JSON.stringify({ conversation_id: whole.conversation_id }) });
    deliver({ event: 'delta', data: JSON.stringify({ text: whole.message.text }) });
    for (const a of whole.message.actions) deliver({ event: 'action', data: JSON.stringify(a) });
    deliver({ event: 'done', data: JSON.stringify(whole) });
  } else if (res.body) {
    const parser = new SseParser(deliver);
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        parser.push(value);
      }
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ChatCutError('The connection broke before the reply finished.');
    }
    parser.end();
  }
  if (!got.done) throw new ChatCutError(got.error ?? undefined);
  return got.done;
}

// The words of an `error` event ({"error": {"code", "message"}}): the turn ran but was not kept.
function errorEventMessage(data: string): string {
  try {
    const o = JSON.parse(data) as { error?: { message?: unknown } };
    if (typeof o.error?.message === 'string') return `The reply was not kept: ${o.error.message}.`;
  } catch {
    // unreadable: the generic words below
  }
  return 'The reply was not kept.';
}
