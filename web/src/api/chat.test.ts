import { afterEach, describe, expect, it, vi } from 'vitest';
import { chatEvents, errorResponse, streamResponse } from '../test/chatServer';
import type { ChatAction } from './types';
import { ChatCutError, streamChat, type ChatEvent } from './chat';
import { api, ApiError, NetworkError } from './client';

const card: ChatAction = { type: 'task', change: 'added', id: 3, title: 'pay rent', due_at: null, status: 'pending' };

function collect() {
  const events: ChatEvent[] = [];
  const accepted = vi.fn();
  return { events, accepted, handlers: { accepted, event: (e: ChatEvent) => events.push(e) } };
}

afterEach(() => {
  vi.unstubAllGlobals();
  api.setToken(null);
  api.setHooks(null);
});

describe('streamChat', () => {
  it('posts the message with the token and hands over every event of a stream split in pieces', async () => {
    const stream = new TextEncoder().encode(chatEvents('c1', 'Added “pay rent”.\nAnything else?', [card]));
    const fetch = vi.fn().mockResolvedValue(streamResponse([stream.slice(0, 45), stream.slice(45, 46), stream.slice(46)]));
    vi.stubGlobal('fetch', fetch);
    api.setToken('t1');
    const { events, accepted, handlers } = collect();
    const done = await streamChat({ message: 'add pay rent', time_zone: 'Europe/Berlin' }, handlers);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/chat');
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ Accept: 'text/event-stream', Authorization: 'Bearer t1' });
    expect(JSON.parse(init.body)).toEqual({ message: 'add pay rent', time_zone: 'Europe/Berlin' });
    expect(accepted).toHaveBeenCalledOnce();
    expect(events.map((e) => e.type)).toEqual(['conversation', 'delta', 'delta', 'action', 'done']);
    expect(events.filter((e) => e.type === 'delta').map((e) => (e.type === 'delta' ? e.text : '')).join('')).toBe(
      'Added “pay rent”.\nAnything else?',
    );
    expect(done.message.actions).toEqual([card]);
  });

  it('refuses without taking the message: the API error, nothing accepted', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(errorResponse(413, 'payload_too_large', 'message is longer than 2000 characters')));
    const { events, accepted, handlers } = collect();
    const err = await streamChat({ message: 'x' }, handlers).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(413);
    expect(accepted).not.toHaveBeenCalled();
    expect(events).toEqual([]);
  });

  it('says the network failed when fetch does', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const { accepted, handlers } = collect();
    await expect(streamChat({ message: 'x' }, handlers)).rejects.toBeInstanceOf(NetworkError);
    expect(accepted).not.toHaveBeenCalled();
  });

  it('logs in again on a 401 and sends once more with the new token', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(errorResponse(401, 'unauthorized', 'token expired'))
      .mockResolvedValueOnce(streamResponse([chatEvents('c1', 'Hello.', [])]));
    vi.stubGlobal('fetch', fetch);
    api.setToken('old');
    api.setHooks({ reauthenticate: () => Promise.resolve('new') });
    const { handlers } = collect();
    await streamChat({ message: 'hi' }, handlers);
    expect(fetch.mock.calls.map(([, init]) => init.headers.Authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('fails as cut off when the stream ends before done, after the message was taken', async () => {
    const whole = chatEvents('c1', 'Hello.', []);
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(streamResponse([whole.slice(0, whole.indexOf('event: done'))])));
    const { events, accepted, handlers } = collect();
    await expect(streamChat({ message: 'hi' }, handlers)).rejects.toBeInstanceOf(ChatCutError);
    expect(accepted).toHaveBeenCalledOnce();
    expect(events.map((e) => e.type)).toEqual(['conversation', 'delta']);
  });

  it('skips events it cannot read and reads a whole JSON answer as the same events', async () => {
    const odd = 'event: delta\ndata: not json\n\nevent: surprise\ndata: {}\n\n';
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(streamResponse([odd + chatEvents('c1', 'Hi.', [])])));
    let got = collect();
    await streamChat({ message: 'hi' }, got.handlers);
    expect(got.events.map((e) => e.type)).toEqual(['conversation', 'delta', 'done']);

    const json = { conversation_id: 'c2', awaiting: null, message: { role: 'assistant', text: 'Hi.', actions: [card], created_at: 'x' } };
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(new Response(JSON.stringify(json), { headers: { 'Content-Type': 'application/json' } })),
    );
    got = collect();
    const done = await streamChat({ message: 'hi' }, got.handlers);
    expect(got.events.map((e) => e.type)).toEqual(['conversation', 'delta', 'action', 'done']);
    expect(done.conversation_id).toBe('c2');
  });
});
