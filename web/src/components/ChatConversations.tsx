// The list of the person's conversations with the assistant, most recently used first: open
// one, or delete one after a confirmation in its row.
import { useState } from 'react';
import type { ConversationSummary } from '../api/types';
import { formatInstant } from '../lib/dates';
import { plainError } from '../lib/errors';

interface Props {
  items: ConversationSummary[] | null;
  error: string | null;
  currentId: string | null;
  busy: boolean; // a turn is running: opening another conversation waits for it
  zone: string;
  onOpen: (id: string) => void;
  onDelete: (id: string) => Promise<void>;
  onRetry: () => void;
}

export function ChatConversations({ items, error, currentId, busy, zone, onOpen, onDelete, onRetry }: Props) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  const remove = async (c: ConversationSummary) => {
    setDeleting(true);
    try {
      await onDelete(c.id);
      setConfirming(null);
      setProblem(null);
    } catch (e) {
      setProblem(plainError(e, 'Could not delete the conversation.'));
    } finally {
      setDeleting(false);
    }
  };

  // Back to the row's Delete button, which the confirmation replaced.
  const cancel = (id: string) => {
    setConfirming(null);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-delete="${id}"]`)?.focus());
  };

  if (error && !items) {
    return (
      <div className="chat-list">
        <p className="form-error" role="alert">
          {error}
        </p>
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  }
  if (!items) return <p className="chat-list muted">Loading conversations…</p>;
  if (items.length === 0) return <p className="chat-list muted">No conversations yet.</p>;
  return (
    <div className="chat-list">
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {busy && <p className="hint">Another conversation can be opened once the reply has finished.</p>}
      <ul aria-label="Conversations">
        {items.map((c) => (
          <li key={c.id} className={c.id === currentId ? 'current' : ''}>
            {confirming === c.id ? (
              <div
                className="chat-confirm-delete"
                role="group"
                aria-label={`Delete “${c.title}”?`}
                onKeyDown={(e) => {
                  // Escape answers the question (keep it) instead of closing the panel.
                  if (e.key !== 'Escape') return;
                  e.stopPropagation();
                  cancel(c.id);
                }}
              >
                <span>Delete “{c.title}”?</span>
                <button type="button" className="danger-fill primary" disabled={deleting} onClick={() => void remove(c)}>
                  Delete
                </button>
                <button type="button" autoFocus onClick={() => cancel(c.id)}>
                  Cancel
                </button>
              </div>
            ) : (
              <>
                <button
                  type="button"
                  className="chat-open"
                  disabled={busy && c.id !== currentId}
                  aria-current={c.id === currentId ? 'true' : undefined}
                  onClick={() => onOpen(c.id)}
                >
                  <span className="chat-open-title">{c.title}</span>
                  <span className="chat-open-when">{formatInstant(c.updated_at, zone)}</span>
                </button>
                <button
                  type="button"
                  className="ghost danger"
                  aria-label={`Delete conversation “${c.title}”`}
                  data-delete={c.id}
                  disabled={busy && c.id === currentId}
                  onClick={() => setConfirming(c.id)}
                >
                  Delete
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
