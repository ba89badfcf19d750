import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatAction, Conversation } from '../api/types';
import { chatEvents, errorResponse, streamResponse } from '../test/chatServer';
import { ChatPanel, messageLength } from './ChatPanel';

const task = { id: 4, title: 'dentist', due_at: null, status: 'pending' as const };
const added: ChatAction = { type: 'task', change: 'added', ...task };
const OLD: Conversation = {
  id: 'c9',
  title: 'add dentist',
  created_at: '2026-12-05T10:00:00.000Z',
  updated_at: '2026-12-05T10:00:00.000Z',
  awaiting: null,
  messages: [
    { seq: 1, role: 'user', text: 'add dentist', actions: [], created_at: '2026-12-05T10:00:00.000Z' },
    { seq: 2, role: 'assistant', text: 'Added “dentist”.', actions: [added], created_at: '2026-12-05T10:00:00.000Z' },
  ],
};

// The API as the panel sees it: the chat answers come from `replies`, in order.
function server(replies: (() => Response | Promise<Response>)[], conversations: Conversation[] = []) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    calls.push({ method, url, body: init.body ? JSON.parse(String(init.body)) : undefined });
    if (url === '/api/chat') {
      const next = replies.shift();
      if (!next) throw new Error('no reply left');
      return next();
    }
    if (url === '/api/conversations') {
      return new Response(JSON.stringify({ items: conversations.map(({ messages: _m, awaiting: _a, ...c }) => c) }));
    }
    const id = url.split('/').pop();
    const found = conversations.find((c) => c.id === id);
    if (!found) return errorResponse(404, 'not_found', 'conversation not found');
    if (method === 'DELETE') return new Response(null, { status: 204 });
    return new Response(JSON.stringify(found));
  });
  vi.stubGlobal('fetch', fetch);
  return { calls, chats: () => calls.filter((c) => c.url === '/api/chat') };
}

function renderPanel(props: Partial<Parameters<typeof ChatPanel>[0]> = {}) {
  const onClose = vi.fn();
  const onOpenTask = vi.fn();
  const view = render(<ChatPanel open userId={1} zone="Europe/Berlin" onClose={onClose} onOpenTask={onOpenTask} {...props} />);
  const box = screen.getByLabelText('Message') as HTMLTextAreaElement;
  return { ...view, onClose, onOpenTask, box };
}

async function type(box: HTMLTextAreaElement, text: string) {
  fireEvent.change(box, { target: { value: text } });
  await act(async () => {
    fireEvent.keyDown(box, { key: 'Enter' });
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('ChatPanel', () => {
  it('sends on Enter, shows the reply with a card that opens the task, and empties the box', async () => {
    const api = server([
      () => streamResponse([chatEvents('c1', 'Added “dentist”.', [added])]),
      () => streamResponse([chatEvents('c1', 'You are welcome.', [])]),
    ]);
    const { box, onOpenTask } = renderPanel();
    expect(document.activeElement).toBe(box);
    await type(box, 'add dentist');
    const log = await screen.findByRole('log');
    await within(log).findByText('Added “dentist”.');
    expect(within(log).getByText('add dentist')).toBeTruthy();
    expect(box.value).toBe('');
    expect(api.chats()[0]!.body).toEqual({ message: 'add dentist', time_zone: 'Europe/Berlin' });
    fireEvent.click(within(log).getByRole('button', { name: /Added\s*dentist/ }));
    expect(onOpenTask).toHaveBeenCalledWith(4);
    expect(localStorage.getItem('tickler.chat.1')).toBe('c1');

    // The next message goes to the same conversation.
    await type(box, 'thanks');
    await within(log).findByText('You are welcome.');
    expect(api.chats()[1]!.body).toEqual({ message: 'thanks', time_zone: 'Europe/Berlin', conversation_id: 'c1' });
  });

  it('shows a streamed reply as it arrives, piece by piece, before it is done', async () => {
    const encoder = new TextEncoder();
    let push: (text: string) => void = () => {};
    let end: () => void = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(encoder.encode(text));
        end = () => controller.close();
      },
    });
    server([() => new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } })]);
    const { box } = renderPanel();
    await type(box, 'what is due?');
    const log = await screen.findByRole('log');
    const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    await act(async () => push(event('conversation', { conversation_id: 'c1' }) + event('delta', { text: 'You have' })));
    await within(log).findByText('You have');
    await act(async () => push(event('delta', { text: ' two tasks' })));
    const partial = await within(log).findByText('You have two tasks');
    expect(partial.closest('li')?.className).toContain('streaming');
    const text = 'You have two tasks due.';
    await act(async () => {
      push(event('delta', { text: ' due.' }));
      push(event('done', { conversation_id: 'c1', awaiting: null, message: { role: 'assistant', text, actions: [], created_at: '2026-12-06T10:00:00.000Z' } }));
      end();
    });
    const done = await within(log).findByText(text);
    await waitFor(() => expect(done.closest('li')?.className).not.toContain('streaming'));
  });

  it('says why when a streamed reply ends with an error instead of done', async () => {
    server([
      () =>
        streamResponse([
          'event: conversation\ndata: {"conversation_id":"c1"}\n\nevent: delta\ndata: {"text":"Hi"}\n\n',
          'event: error\ndata: {"error":{"code":"conversation_busy","message":"another turn of this conversation ran first"}}\n\n',
        ]),
    ]);
    const { box } = renderPanel();
    await type(box, 'hello');
    await screen.findByText(/The reply was not kept: another turn of this conversation ran first/);
  });

  it('keeps the text and says why when the server refuses, showing nothing as sent', async () => {
    server([
      () => errorResponse(422, 'validation_failed', 'time_zone: is not a known IANA time zone', { field: 'time_zone', problem: 'is not a known IANA time zone' }),
      () => Promise.reject(new TypeError('Failed to fetch')),
    ]);
    const { box } = renderPanel();
    await type(box, 'add dentist');
    expect((await screen.findByRole('alert')).textContent).toBe('That time zone is unknown. Pick one from the list, like Europe/Berlin.');
    expect(box.value).toBe('add dentist');
    expect(screen.queryByRole('log')).toBeNull();
    await type(box, 'add dentist');
    expect((await screen.findByRole('alert')).textContent).toBe('Cannot reach Tickler. Check your connection.');
    expect(box.value).toBe('add dentist');
  });

  it('counts toward the 2,000-character limit and blocks a longer message before sending', async () => {
    const api = server([]);
    const { box } = renderPanel();
    fireEvent.change(box, { target: { value: 'é'.repeat(1600) } });
    expect(screen.getByText('1,600 of 2,000 characters')).toBeTruthy();
    await type(box, ` ${'a'.repeat(2001)} `);
    expect(screen.getByText('Too long: 2,001 of 2,000 characters. Shorten it to send.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    expect(api.chats()).toEqual([]);
    expect(messageLength('  😀é  ')).toBe(2);
  });

  it('blocks sending while a reply is running, with the reason, and keeps what is typed meanwhile', async () => {
    let answer: (r: Response) => void = () => undefined;
    const api = server([() => new Promise<Response>((resolve) => (answer = resolve))]);
    const { box } = renderPanel();
    await type(box, 'what is due today');
    expect(screen.getByText('The assistant is answering. You can send when the reply has finished.')).toBeTruthy();
    expect(box.value).toBe('what is due today');
    fireEvent.change(box, { target: { value: 'and tomorrow?' } });
    await type(box, 'and tomorrow?');
    expect(api.chats()).toHaveLength(1);
    await act(async () => answer(streamResponse([chatEvents('c1', 'Nothing is due today.', [])])));
    await screen.findByText('Nothing is due today.');
    expect(box.value).toBe('and tomorrow?');
  });

  it('answers a numbered choice and a question with buttons; old ones and deleted tasks are not buttons', async () => {
    const choices: ChatAction[] = [
      { type: 'choice', number: 1, ...task },
      { type: 'choice', number: 2, ...task, id: 5, title: 'dentist call' },
    ];
    const confirm: ChatAction = { type: 'confirm', question: 'Delete “dentist”?', answers: ['yes', 'no'] };
    const api = server([
      () => streamResponse([chatEvents('c1', 'Which one?', choices, 'choice')]),
      () => streamResponse([chatEvents('c1', 'Delete “dentist”?', [{ ...added, change: 'to_delete' }, confirm], 'confirmation')]),
      () => streamResponse([chatEvents('c1', 'Deleted “dentist”.', [{ ...added, change: 'deleted' }])]),
    ]);
    const { box } = renderPanel();
    await type(box, 'delete dentist');
    const group = await screen.findByRole('group', { name: 'Choose one' });
    await act(async () => fireEvent.click(within(group).getByRole('button', { name: /^1\.\s*dentist$/ })));
    const question = await screen.findByRole('group', { name: 'Delete “dentist”?' });
    expect(screen.queryByRole('group', { name: 'Choose one' })).toBeNull();
    await act(async () => fireEvent.click(within(question).getByRole('button', { name: 'Yes' })));
    await screen.findByText('Deleted “dentist”.');
    expect(api.chats().map((c) => (c.body as { message: string }).message)).toEqual(['delete dentist', '1', 'yes']);
    expect(api.chats().map((c) => (c.body as { conversation_id?: string }).conversation_id)).toEqual([undefined, 'c1', 'c1']);
    expect(screen.queryByRole('group', { name: 'Delete “dentist”?' })).toBeNull();
    // Task 4 is deleted: none of its cards is a button; task 5's old option still opens it.
    const log = screen.getByRole('log');
    expect(within(log).queryAllByRole('button', { name: /dentist$/ })).toEqual([]);
    expect(log.querySelectorAll('.task-card.gone').length).toBe(3);
    expect(within(log).getByRole('button', { name: /dentist call/ })).toBeTruthy();
  });

  it('keeps the text when the conversation was deleted elsewhere, and starts a new one on the next send', async () => {
    localStorage.setItem('tickler.chat.1', 'c9');
    const api = server(
      [
        () => errorResponse(404, 'not_found', 'conversation not found'),
        () => streamResponse([chatEvents('c2', 'Added “dentist”.', [added])]),
      ],
      [{ ...OLD, messages: [] }],
    );
    const { box } = renderPanel();
    await waitFor(() => expect(screen.queryByText('Loading the conversation…')).toBeNull());
    await type(box, 'add dentist');
    expect((await screen.findByRole('alert')).textContent).toBe('That conversation was deleted. Send again to start a new one.');
    expect(box.value).toBe('add dentist');
    expect(localStorage.getItem('tickler.chat.1')).toBeNull();
    await type(box, 'add dentist');
    await screen.findByText('Added “dentist”.');
    expect(api.chats().map((c) => (c.body as { conversation_id?: string }).conversation_id)).toEqual(['c9', undefined]);
  });

  it('starts empty, and says so, when the remembered conversation is gone', async () => {
    localStorage.setItem('tickler.chat.1', 'gone');
    server([]);
    renderPanel();
    expect((await screen.findByRole('alert')).textContent).toBe('That conversation was deleted.');
    expect(screen.getByText(/Say “help” to see all I understand/)).toBeTruthy();
    expect(localStorage.getItem('tickler.chat.1')).toBeNull();
  });

  it('waits for a conversation to load before sending, and says so', async () => {
    localStorage.setItem('tickler.chat.1', 'c9');
    let load: (r: Response) => void = () => undefined;
    const api = server([() => streamResponse([chatEvents('c9', 'Hello.', [])])]);
    const fetch = globalThis.fetch as ReturnType<typeof vi.fn>;
    const answer = fetch.getMockImplementation()!;
    fetch.mockImplementation((url: string, init?: RequestInit) =>
      url === '/api/conversations/c9' ? new Promise<Response>((resolve) => (load = resolve)) : answer(url, init),
    );
    const { box } = renderPanel();
    await type(box, 'hi');
    expect(screen.getByText('The conversation is loading. You can send once it is there.')).toBeTruthy();
    expect(api.chats()).toEqual([]);
    expect(box.value).toBe('hi');
    await act(async () => load(new Response(JSON.stringify(OLD))));
    await screen.findByText('Added “dentist”.');
    await type(box, 'hi');
    await screen.findByText('Hello.');
    expect(api.chats()).toHaveLength(1);
  });

  it('closes on Escape', () => {
    server([]);
    const { onClose, box } = renderPanel();
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('opens the remembered conversation, lists them, and deletes one only after confirming', async () => {
    localStorage.setItem('tickler.chat.1', 'c9');
    const api = server([], [OLD]);
    const { onClose } = renderPanel();
    await screen.findByText('Added “dentist”.');
    fireEvent.click(screen.getByRole('button', { name: 'Conversations' }));
    const list = await screen.findByRole('list', { name: 'Conversations' });
    expect(within(list).getByRole('button', { name: /^add dentist/ }).getAttribute('aria-current')).toBe('true');
    fireEvent.click(within(list).getByRole('button', { name: 'Delete conversation “add dentist”' }));
    fireEvent.keyDown(within(list).getByRole('button', { name: 'Cancel' }), { key: 'Escape' });
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(within(list).getByRole('button', { name: 'Delete conversation “add dentist”' }));
    expect(api.calls.some((c) => c.method === 'DELETE')).toBe(false);
    await act(async () => fireEvent.click(within(list).getByRole('button', { name: 'Delete' })));
    await waitFor(() => expect(screen.getByText('No conversations yet.')).toBeTruthy());
    expect(api.calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/conversations/c9']);
    expect(localStorage.getItem('tickler.chat.1')).toBeNull();
  });
});
