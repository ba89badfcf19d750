import { describe, expect, it } from 'vitest';
import type { ChatAction, ChatDone, Conversation } from '../api/types';
import { answerableKey, chatReducer, deletedTaskIds, initialChat, isBusy, type ChatState, type ChatStateAction } from './chat';

const card: ChatAction = { type: 'task', change: 'added', id: 7, title: 'pay rent', due_at: null, status: 'pending' };
const confirm: ChatAction = { type: 'confirm', question: 'Delete “pay rent”?', answers: ['yes', 'no'] };

function done(text: string, actions: ChatAction[], awaiting: ChatDone['awaiting'] = null): ChatStateAction {
  return {
    type: 'stream',
    event: {
      type: 'done',
      done: { conversation_id: 'c1', awaiting, message: { role: 'assistant', text, actions, created_at: '2026-12-06T10:00:00.000Z' } },
    },
  };
}

function run(actions: ChatStateAction[], from: ChatState = initialChat): ChatState {
  return actions.reduce(chatReducer, from);
}

describe('chat state', () => {
  it('shows nothing of a message the server refused, and says why', () => {
    const s = run([{ type: 'send' }, { type: 'refused', error: 'Too long.' }]);
    expect(s.entries).toEqual([]);
    expect(s.phase).toBe('idle');
    expect(s.error).toBe('Too long.');
  });

  it('shows the message once taken, the reply as it streams, then the reply of `done`', () => {
    let s = run([{ type: 'send' }]);
    expect(s.phase).toBe('sending');
    expect(isBusy(s)).toBe(true);
    expect(s.entries).toEqual([]);
    s = run(
      [
        { type: 'accepted', text: 'add pay rent' },
        { type: 'stream', event: { type: 'conversation', conversation_id: 'c1' } },
        { type: 'stream', event: { type: 'delta', text: 'Added' } },
        { type: 'stream', event: { type: 'delta', text: ' “pay rent”.' } },
        { type: 'stream', event: { type: 'action', action: card } },
      ],
      s,
    );
    expect(s.phase).toBe('streaming');
    expect(s.conversationId).toBe('c1');
    expect(s.entries.map((e) => [e.role, e.text, e.streaming ?? false])).toEqual([
      ['user', 'add pay rent', false],
      ['assistant', 'Added “pay rent”.', true],
    ]);
    expect(s.entries[1]!.actions).toEqual([card]);
    s = chatReducer(s, done('Added “pay rent” (due today).', [card]));
    expect(s.phase).toBe('idle');
    expect(isBusy(s)).toBe(false);
    expect(s.entries[1]).toMatchObject({ role: 'assistant', text: 'Added “pay rent” (due today).', actions: [card] });
    expect(s.entries[1]!.streaming).toBeUndefined();
    expect(new Set(s.entries.map((e) => e.key)).size).toBe(2);
  });

  it('lets only the last reply of a waiting conversation be answered, and not during a turn', () => {
    let s = run([{ type: 'send' }, { type: 'accepted', text: 'delete pay rent' }, done('Delete?', [card, confirm], 'confirmation')]);
    expect(s.awaiting).toBe('confirmation');
    expect(answerableKey(s)).toBe(s.entries[1]!.key);
    s = run([{ type: 'send' }], s);
    expect(answerableKey(s)).toBeNull();
    s = run([{ type: 'accepted', text: 'yes' }], s);
    expect(s.awaiting).toBeNull();
    s = chatReducer(s, done('Deleted.', []));
    expect(answerableKey(s)).toBeNull();
  });

  it('keeps what arrived of a reply that was cut off, and says so', () => {
    const s = run([
      { type: 'send' },
      { type: 'accepted', text: 'hi' },
      { type: 'stream', event: { type: 'delta', text: 'Here is' } },
      { type: 'cut', error: 'The reply was cut off before it finished.' },
    ]);
    expect(s.phase).toBe('idle');
    expect(s.entries[1]).toMatchObject({ text: 'Here is', cut: true, streaming: false });
    expect(s.error).toBe('The reply was cut off before it finished.');
  });

  it('ignores stream events outside a turn and a second send during one', () => {
    const idle = chatReducer(initialChat, { type: 'stream', event: { type: 'delta', text: 'stray' } });
    expect(idle).toBe(initialChat);
    const sending = run([{ type: 'send' }]);
    expect(chatReducer(sending, { type: 'send' })).toBe(sending);
  });

  it('loads a conversation, and drops the answer of one no longer asked for', () => {
    const conversation: Conversation = {
      id: 'c2',
      title: 'delete pay rent',
      created_at: '2026-12-06T10:00:00.000Z',
      updated_at: '2026-12-06T10:01:00.000Z',
      awaiting: 'confirmation',
      messages: [
        { seq: 1, role: 'user', text: 'delete pay rent', actions: [], created_at: '2026-12-06T10:00:00.000Z' },
        { seq: 2, role: 'assistant', text: 'Delete?', actions: [card, confirm], created_at: '2026-12-06T10:00:00.000Z' },
      ],
    };
    const loading = run([{ type: 'loading', id: 'c2' }]);
    expect(loading.phase).toBe('loading');
    const loaded = chatReducer(loading, { type: 'loaded', conversation });
    expect(loaded.entries.map((e) => e.text)).toEqual(['delete pay rent', 'Delete?']);
    expect(loaded.awaiting).toBe('confirmation');
    expect(answerableKey(loaded)).toBe(loaded.entries[1]!.key);
    // The person opened another conversation before this one arrived.
    const other = chatReducer(loading, { type: 'loading', id: 'c3' });
    expect(chatReducer(other, { type: 'loaded', conversation })).toBe(other);
    expect(chatReducer(other, { type: 'load-failed', id: 'c2', error: 'x' })).toBe(other);
  });

  it('starts a new conversation with keys that never repeat', () => {
    const s = run([{ type: 'send' }, { type: 'accepted', text: 'hi' }, done('Hello.', [])]);
    const fresh = run([{ type: 'new' }, { type: 'send' }, { type: 'accepted', text: 'again' }], s);
    expect(fresh.conversationId).toBeNull();
    expect(fresh.entries.map((e) => e.text)).toEqual(['again', '']);
    expect(Math.min(...fresh.entries.map((e) => e.key))).toBeGreaterThan(Math.max(...s.entries.map((e) => e.key)));
  });

  it('knows which tasks the conversation deleted', () => {
    const s = run([
      { type: 'send' },
      { type: 'accepted', text: 'delete pay rent' },
      done('Delete?', [{ ...card, change: 'to_delete' }, confirm], 'confirmation'),
      { type: 'send' },
      { type: 'accepted', text: 'yes' },
      done('Deleted.', [{ ...card, change: 'deleted' }]),
    ]);
    expect([...deletedTaskIds(s.entries)]).toEqual([7]);
    expect(deletedTaskIds(s.entries.slice(0, 2)).size).toBe(0);
  });
});
