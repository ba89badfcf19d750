// The assistant for the chat panel: the open conversation (state/chat.ts), the list of
// conversations, and sending a message with its streamed reply. The open conversation is
// remembered per user in localStorage, so a reload opens it again.
import { useCallback, useReducer, useRef, useState } from 'react';
import { ChatCutError, streamChat, type ChatRequest } from '../api/chat';
import { ApiError } from '../api/client';
import { deleteConversation, getConversation, listConversations } from '../api/endpoints';
import type { ConversationSummary } from '../api/types';
import { plainError } from '../lib/errors';
import { chatReducer, initialChat } from '../state/chat';

export const MAX_MESSAGE = 2000;

// Why a message was not sent, in plain words.
export function sendProblem(e: unknown): string {
  if (e instanceof ApiError && e.status === 413) {
    return `The message is too long: at most ${MAX_MESSAGE.toLocaleString('en')} characters.`;
  }
  return plainError(e, 'Could not send the message. Please try again.');
}

const isNotFound = (e: unknown) => e instanceof ApiError && e.status === 404;

export function useChat(userId: number, zone: string) {
  const [state, dispatch] = useReducer(chatReducer, initialChat);
  const [conversations, setConversations] = useState<ConversationSummary[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const current = useRef<string | null>(null);
  current.current = state.conversationId;
  const phase = useRef(state.phase);
  phase.current = state.phase;
  // Set at once (not on the next render), so a second Enter cannot start a second turn.
  const running = useRef(false);
  const storageKey = `tickler.chat.${userId}`;

  const remember = useCallback(
    (id: string | null) => {
      if (id) localStorage.setItem(storageKey, id);
      else localStorage.removeItem(storageKey);
    },
    [storageKey],
  );

  const refreshList = useCallback(async () => {
    try {
      setConversations(await listConversations());
      setListError(null);
    } catch (e) {
      setListError(plainError(e, 'Could not load the conversations.'));
    }
  }, []);

  const forget = useCallback((id: string) => {
    setConversations((cs) => cs?.filter((c) => c.id !== id) ?? cs);
  }, []);

  const startNew = useCallback(() => {
    if (running.current) return;
    remember(null);
    dispatch({ type: 'new' });
  }, [remember]);

  const open = useCallback(
    async (id: string) => {
      if (running.current) return;
      remember(id);
      dispatch({ type: 'loading', id });
      try {
        dispatch({ type: 'loaded', conversation: await getConversation(id) });
      } catch (e) {
        if (!isNotFound(e)) {
          dispatch({ type: 'load-failed', id, error: plainError(e, 'Could not load the conversation.') });
          return;
        }
        remember(null);
        forget(id);
        dispatch({ type: 'new' });
        dispatch({ type: 'error', error: 'That conversation was deleted.' });
      }
    },
    [remember, forget],
  );

  // Throws what the server refused; a conversation already gone counts as deleted.
  const remove = useCallback(
    async (id: string) => {
      try {
        await deleteConversation(id);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      forget(id);
      if (current.current === id && !running.current) {
        remember(null);
        dispatch({ type: 'new' });
      }
    },
    [forget, remember],
  );

  // The first time the panel opens: the list, and the conversation open before the reload.
  const started = useRef(false);
  const start = useCallback(() => {
    if (started.current) return;
    started.current = true;
    void refreshList();
    const id = localStorage.getItem(storageKey);
    if (id) void open(id);
  }, [refreshList, open, storageKey]);

  // Sends one message. Resolves true once the server took it (onAccepted runs at that moment),
  // false when it was refused or not sent: then state.error says why and nothing was shown.
  const send = useCallback(
    async (text: string, onAccepted?: () => void): Promise<boolean> => {
      const message = text.trim();
      if (running.current || phase.current !== 'idle' || !message) return false;
      running.current = true;
      const conversationId = current.current;
      const body: ChatRequest = { message, time_zone: zone };
      if (conversationId) body.conversation_id = conversationId;
      let accepted = false;
      dispatch({ type: 'send' });
      try {
        await streamChat(body, {
          accepted: () => {
            accepted = true;
            dispatch({ type: 'accepted', text: message });
            onAccepted?.();
          },
          event: (e) => {
            if (e.type === 'conversation') remember(e.conversation_id);
            dispatch({ type: 'stream', event: e });
          },
        });
        return true;
      } catch (e) {
        if (accepted) {
          dispatch({ type: 'cut', error: e instanceof ChatCutError ? e.message : sendProblem(e) });
          return true;
        }
        if (conversationId && isNotFound(e)) {
          // Deleted meanwhile (another tab): the next send starts a new conversation.
          remember(null);
          forget(conversationId);
          dispatch({ type: 'new' });
          dispatch({ type: 'error', error: 'That conversation was deleted. Send again to start a new one.' });
        } else {
          dispatch({ type: 'refused', error: sendProblem(e) });
        }
        return false;
      } finally {
        running.current = false;
        if (accepted) void refreshList();
      }
    },
    [zone, remember, forget, refreshList],
  );

  const clearError = useCallback(() => dispatch({ type: 'error', error: null }), []);

  return { state, conversations, listError, start, send, open, startNew, remove, refreshList, clearError };
}
