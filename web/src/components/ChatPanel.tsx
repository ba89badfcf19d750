// The chat panel: the assistant beside the task list (a full-screen sheet on a phone). Opened by
// the top bar's button or the `c` shortcut; Escape or × closes it and focus goes back where it
// was. It stays mounted while closed, so a reply keeps arriving and the conversation is there on
// reopening. What is typed stays in the box (and in sessionStorage) until the server took it; a
// send that was refused, or that cannot be sent now, says why next to the box.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_MESSAGE, useChat } from '../hooks/useChat';
import { answerableKey, isBusy } from '../state/chat';
import { ChatConversations } from './ChatConversations';
import { ChatMessages } from './ChatMessages';

const DRAFT_KEY = 'tickler.chat-draft';
const NARROW = '(max-width: 759px)';
const COUNT_FROM = 1600; // the count shows from here on, before the limit is reached
const FOCUSABLE = 'a[href], button:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface Props {
  open: boolean;
  userId: number;
  zone: string;
  onClose: () => void;
  onOpenTask: (id: number) => void;
}

function useNarrow(): boolean {
  const query = typeof window.matchMedia === 'function' ? window.matchMedia(NARROW) : null;
  const [narrow, setNarrow] = useState(() => query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const on = () => setNarrow(query.matches);
    query.addEventListener('change', on);
    return () => query.removeEventListener('change', on);
  }, [query?.media]);
  return narrow;
}

const count = (n: number) => n.toLocaleString('en');

// Characters as a person counts them (code points), after the trimming the server does.
export function messageLength(text: string): number {
  return [...text.trim()].length;
}

export function ChatPanel({ open, userId, zone, onClose, onOpenTask }: Props) {
  const chat = useChat(userId, zone);
  const { state } = chat;
  const [text, setText] = useState(() => sessionStorage.getItem(DRAFT_KEY) ?? '');
  const [view, setView] = useState<'chat' | 'list'>('chat');
  const narrow = useNarrow();
  const titleId = useId();
  const panel = useRef<HTMLElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (text) sessionStorage.setItem(DRAFT_KEY, text);
    else sessionStorage.removeItem(DRAFT_KEY);
  }, [text]);

  // Into the box on opening; back to what had focus (the button, the list) on closing.
  useEffect(() => {
    if (!open) return;
    chat.start();
    const previous = document.activeElement as HTMLElement | null;
    input.current?.focus();
    return () => {
      const now = document.activeElement;
      if (!now || now === document.body || panel.current?.contains(now)) previous?.focus?.();
    };
  }, [open, chat.start]);

  if (!open) return null;

  const busy = isBusy(state);
  const loading = state.phase === 'loading';
  const length = messageLength(text);
  const tooLong = length > MAX_MESSAGE;
  const reason = busy
    ? 'The assistant is answering. You can send when the reply has finished.'
    : loading
      ? 'The conversation is loading. You can send once it is there.'
      : tooLong
      ? `Too long: ${count(length)} of ${count(MAX_MESSAGE)} characters. Shorten it to send.`
      : null;

  const focusBox = () => requestAnimationFrame(() => input.current?.focus());

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!text.trim() || busy || loading || tooLong) return;
    const sent = text;
    // Cleared only once the server took it, and only if nothing was typed meanwhile.
    void chat.send(sent, () => setText((t) => (t === sent ? '' : t)));
  };

  const answer = (reply: string) => {
    void chat.send(reply);
    focusBox();
  };

  const onBoxKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  const onPanelKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    } else if (e.key === 'Tab' && narrow && panel.current) {
      // A full-screen sheet on a phone is modal: Tab stays inside.
      const items = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return;
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  };

  const showList = () => {
    setView('list');
    void chat.refreshList();
  };
  const backToChat = () => {
    setView('chat');
    focusBox();
  };

  return (
    <section
      ref={panel}
      id="chat-panel"
      className="chat"
      role="dialog"
      aria-modal={narrow ? 'true' : undefined}
      aria-labelledby={titleId}
      onKeyDown={onPanelKey}
    >
      <header className="chat-head">
        <h2 id={titleId}>Assistant</h2>
        {view === 'chat' ? (
          <button type="button" className="ghost" onClick={showList}>
            Conversations
          </button>
        ) : (
          <button type="button" className="ghost" onClick={backToChat}>
            Back to the chat
          </button>
        )}
        <button
          type="button"
          className="ghost"
          disabled={busy}
          title={busy ? 'Wait for the reply to finish' : undefined}
          onClick={() => {
            chat.startNew();
            backToChat();
          }}
        >
          New
          <span className="visually-hidden"> conversation</span>
        </button>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close the assistant">
          ×
        </button>
      </header>
      {view === 'list' ? (
        <ChatConversations
          items={chat.conversations}
          error={chat.listError}
          currentId={state.conversationId}
          busy={busy}
          zone={zone}
          onOpen={(id) => {
            if (id !== state.conversationId || state.error) void chat.open(id);
            backToChat();
          }}
          onDelete={chat.remove}
          onRetry={() => void chat.refreshList()}
        />
      ) : (
        <>
          {state.phase === 'loading' ? (
            <p className="chat-intro muted">Loading the conversation…</p>
          ) : state.entries.length === 0 ? (
            <p className="chat-intro muted">
              Ask me to add, find, complete, move or delete tasks: “add pay rent every month on the 1st
              at 9am”, “what's due this week?”, “move dentist to friday 3pm”. Say “help” to see all I
              understand.
            </p>
          ) : (
            <ChatMessages
              entries={state.entries}
              busy={busy}
              answerable={answerableKey(state)}
              zone={zone}
              onOpenTask={onOpenTask}
              onAnswer={answer}
            />
          )}
          <form className="chat-form" onSubmit={submit} aria-label="Message the assistant">
            {state.error && (
              <p className="form-error" role="alert">
                {state.error}
              </p>
            )}
            <div className="chat-form-row">
              <label htmlFor="chat-input" className="visually-hidden">
                Message
              </label>
              <textarea
                id="chat-input"
                ref={input}
                rows={2}
                value={text}
                onChange={(e) => setText(e.target.value)}
                onKeyDown={onBoxKey}
                placeholder="Ask the assistant…"
                autoComplete="off"
                aria-describedby="chat-hint"
                aria-invalid={tooLong ? true : undefined}
              />
              <button className="primary" type="submit" disabled={!text.trim() || busy || loading || tooLong}>
                Send
              </button>
            </div>
            <p id="chat-hint" className={tooLong ? 'hint form-error' : 'hint'} aria-live="polite">
              {reason ??
                (length >= COUNT_FROM
                  ? `${count(length)} of ${count(MAX_MESSAGE)} characters`
                  : 'Enter sends, Shift+Enter starts a new line.')}
            </p>
          </form>
        </>
      )}
    </section>
  );
}
