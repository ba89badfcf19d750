// The chat panel's conversation as a reducer: the messages shown, the reply being streamed, what
// the assistant waits for, and whether a turn is running. A message is shown as the person's only
// once the server took it; until then it stays in the box (see useChat), so a refused send
// drops nothing.
import type { ChatEvent } from '../api/chat';
import type { Awaiting, ChatAction, Conversation } from '../api/types';

export interface ChatEntry {
  key: number;
  role: 'user' | 'assistant';
  text: string;
  actions: ChatAction[];
  created_at: string | null;
  streaming?: boolean; // the reply still arriving
  cut?: boolean; // the stream ended before `done`
}

// idle: a message can be sent. loading: a conversation is being fetched. sending: the message
// is on its way (still in the box). streaming: the server took it and the reply is arriving.
export type ChatPhase = 'idle' | 'loading' | 'sending' | 'streaming';

export interface ChatState {
  conversationId: string | null;
  entries: ChatEntry[];
  awaiting: Awaiting;
  phase: ChatPhase;
  error: string | null;
  nextKey: number;
}

export const initialChat: ChatState = {
  conversationId: null,
  entries: [],
  awaiting: null,
  phase: 'idle',
  error: null,
  nextKey: 1,
};

export type ChatStateAction =
  | { type: 'new' }
  | { type: 'loading'; id: string }
  | { type: 'loaded'; conversation: Conversation }
  | { type: 'load-failed'; id: string; error: string }
  | { type: 'send' }
  | { type: 'refused'; error: string }
  | { type: 'accepted'; text: string }
  | { type: 'stream'; event: ChatEvent }
  | { type: 'cut'; error: string }
  | { type: 'error'; error: string | null };

export function isBusy(s: ChatState): boolean {
  return s.phase === 'sending' || s.phase === 'streaming';
}

function updateStreaming(s: ChatState, f: (e: ChatEntry) => ChatEntry): ChatState {
  const last = s.entries[s.entries.length - 1];
  if (!last?.streaming) return s;
  return { ...s, entries: [...s.entries.slice(0, -1), f(last)] };
}

function stream(s: ChatState, e: ChatEvent): ChatState {
  if (s.phase !== 'streaming') return s;
  switch (e.type) {
    case 'conversation':
      return { ...s, conversationId: e.conversation_id };
    case 'delta':
      return updateStreaming(s, (m) => ({ ...m, text: m.text + e.text }));
    case 'action':
      return updateStreaming(s, (m) => ({ ...m, actions: [...m.actions, e.action] }));
    case 'done': {
      const { message, awaiting, conversation_id } = e.done;
      const next = updateStreaming(s, (m) => ({
        key: m.key,
        role: 'assistant',
        text: message.text,
        actions: message.actions,
        created_at: message.created_at,
      }));
      return { ...next, conversationId: conversation_id, awaiting, phase: 'idle' };
    }
  }
}

export function chatReducer(s: ChatState, a: ChatStateAction): ChatState {
  switch (a.type) {
    case 'new':
      return { ...initialChat, nextKey: s.nextKey };
    case 'loading':
      return { ...initialChat, nextKey: s.nextKey, conversationId: a.id, phase: 'loading' };
    case 'loaded': {
      if (a.conversation.id !== s.conversationId || s.phase !== 'loading') return s;
      let key = s.nextKey;
      const entries = a.conversation.messages.map((m) => ({
        key: key++,
        role: m.role,
        text: m.text,
        actions: m.actions,
        created_at: m.created_at,
      }));
      return { ...s, entries, awaiting: a.conversation.awaiting, phase: 'idle', error: null, nextKey: key };
    }
    case 'load-failed':
      if (a.id !== s.conversationId || s.phase !== 'loading') return s;
      return { ...s, phase: 'idle', error: a.error };
    case 'send':
      if (s.phase !== 'idle') return s;
      return { ...s, phase: 'sending', error: null };
    case 'refused':
      if (s.phase !== 'sending') return s;
      return { ...s, phase: 'idle', error: a.error };
    case 'accepted': {
      if (s.phase !== 'sending') return s;
      const user: ChatEntry = { key: s.nextKey, role: 'user', text: a.text, actions: [], created_at: null };
      const reply: ChatEntry = { key: s.nextKey + 1, role: 'assistant', text: '', actions: [], created_at: null, streaming: true };
      // The question the assistant waited for is answered (or dropped) by this message.
      return { ...s, entries: [...s.entries, user, reply], awaiting: null, phase: 'streaming', nextKey: s.nextKey + 2 };
    }
    case 'stream':
      return stream(s, a.event);
    case 'cut': {
      if (s.phase !== 'streaming') return s;
      const next = updateStreaming(s, (m) => ({ ...m, streaming: false, cut: true }));
      return { ...next, phase: 'idle', error: a.error };
    }
    case 'error':
      return { ...s, error: a.error };
  }
}

// The ids of tasks this conversation deleted: none of their cards opens anything (ids are never
// reused; undoing a delete creates the task again with a new id).
export function deletedTaskIds(entries: ChatEntry[]): Set<number> {
  const gone = new Set<number>();
  for (const e of entries) {
    for (const a of e.actions) if (a.type === 'task' && a.change === 'deleted') gone.add(a.id);
  }
  return gone;
}

// The assistant message whose choice or question may still be answered: the last one, when the
// conversation waits for an answer and no turn is running.
export function answerableKey(s: ChatState): number | null {
  if (!s.awaiting || s.phase !== 'idle') return null;
  const last = s.entries[s.entries.length - 1];
  return last && last.role === 'assistant' && !last.cut ? last.key : null;
}
