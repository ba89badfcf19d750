// The chat transcript: the person's messages and the assistant's replies, each reply with its
// actions — task cards that open the task (a deleted task's card opens nothing), the options of a
// numbered choice as buttons that answer with the number, and a question's answers as buttons.
// Only the last reply, while the assistant waits for an answer, can be answered with a button.
// The transcript is a log (a live region), busy while a reply streams: a screen reader reads a
// reply once it has fully arrived.
import { useEffect, useRef } from 'react';
import type { ChatAction, ChatTaskRef, TaskChange } from '../api/types';
import { formatDue } from '../lib/dates';
import { deletedTaskIds, type ChatEntry } from '../state/chat';

const CHANGE: Record<TaskChange, string> = {
  added: 'Added',
  completed: 'Completed',
  reopened: 'Reopened',
  updated: 'Updated',
  deleted: 'Deleted',
  restored: 'Restored',
  listed: '',
  to_delete: 'To delete',
};

interface Props {
  entries: ChatEntry[];
  busy: boolean;
  answerable: number | null; // the key of the reply whose choice or question can be answered
  zone: string;
  onOpenTask: (id: number) => void;
  onAnswer: (text: string) => void;
}

function TaskFacts({ task, zone }: { task: ChatTaskRef; zone: string }) {
  return (
    <>
      <span className="card-title">{task.title}</span>
      {(task.due_at || task.status === 'completed') && (
        <span className="card-meta">
          {task.due_at && (
            <>
              <span className="visually-hidden">Due </span>
              {formatDue(task.due_at, zone)}
            </>
          )}
          {task.status === 'completed' && <span className="card-done"> · done</span>}
        </span>
      )}
    </>
  );
}

function TaskCard({ task, label, gone, zone, onOpen }: {
  task: ChatTaskRef;
  label: string;
  gone: boolean;
  zone: string;
  onOpen: (id: number) => void;
}) {
  const body = (
    <>
      {label && <span className="card-change">{label}</span>}
      <TaskFacts task={task} zone={zone} />
    </>
  );
  if (gone) {
    return (
      <div className="task-card gone" aria-disabled="true" title="This task was deleted">
        {body}
      </div>
    );
  }
  return (
    <button type="button" className="task-card" onClick={() => onOpen(task.id)} title="Open the task">
      {body}
    </button>
  );
}

function Actions({ entry, active, busy, gone, zone, onOpenTask, onAnswer }: {
  entry: ChatEntry;
  active: boolean;
  busy: boolean;
  gone: Set<number>;
  zone: string;
  onOpenTask: (id: number) => void;
  onAnswer: (text: string) => void;
}) {
  const choices = entry.actions.filter((a) => a.type === 'choice');
  const cards = (a: ChatAction, i: number) => {
    if (a.type === 'task') {
      return <TaskCard key={i} task={a} label={CHANGE[a.change] ?? ''} gone={gone.has(a.id)} zone={zone} onOpen={onOpenTask} />;
    }
    if (a.type === 'choice' && !active) {
      return <TaskCard key={i} task={a} label={`${a.number}.`} gone={gone.has(a.id)} zone={zone} onOpen={onOpenTask} />;
    }
    if (a.type === 'confirm' && active) {
      return (
        <div key={i} className="chat-answers" role="group" aria-label={a.question}>
          {a.answers.map((answer) => (
            <button
              key={answer}
              type="button"
              className={answer === 'yes' ? 'primary' : ''}
              disabled={busy}
              onClick={() => onAnswer(answer)}
            >
              {answer.charAt(0).toUpperCase() + answer.slice(1)}
            </button>
          ))}
        </div>
      );
    }
    return null;
  };
  return (
    <>
      {active && choices.length > 0 && (
        <div className="chat-choices" role="group" aria-label="Choose one">
          {choices.map(
            (c) =>
              c.type === 'choice' && (
                <button
                  key={c.number}
                  type="button"
                  className="task-card choice"
                  disabled={busy}
                  onClick={() => onAnswer(String(c.number))}
                >
                  <span className="card-change">{c.number}.</span>
                  <TaskFacts task={c} zone={zone} />
                </button>
              ),
          )}
        </div>
      )}
      {entry.actions.map(cards)}
    </>
  );
}

export function ChatMessages({ entries, busy, answerable, zone, onOpenTask, onAnswer }: Props) {
  const end = useRef<HTMLLIElement>(null);
  const gone = deletedTaskIds(entries);
  const last = entries[entries.length - 1];
  const lastText = last ? last.text.length + last.actions.length : 0;

  // Keep the newest words in sight while they arrive.
  useEffect(() => {
    const el = end.current;
    if (el && typeof el.scrollIntoView === 'function') el.scrollIntoView({ block: 'end' });
  }, [entries.length, lastText]);

  return (
    <div className="chat-log" role="log" aria-label="Messages" aria-live="polite" aria-busy={busy}>
      <ol className="chat-entries">
        {entries.map((e) => (
          <li key={e.key} className={`chat-msg ${e.role}${e.streaming ? ' streaming' : ''}`}>
            <span className="visually-hidden">{e.role === 'user' ? 'You: ' : 'Assistant: '}</span>
            {(e.text || e.streaming) && <p className="chat-text">{e.text || (e.streaming ? '…' : '')}</p>}
            {e.actions.length > 0 && (
              <div className="chat-actions">
                <Actions
                  entry={e}
                  active={e.key === answerable}
                  busy={busy}
                  gone={gone}
                  zone={zone}
                  onOpenTask={onOpenTask}
                  onAnswer={onAnswer}
                />
              </div>
            )}
            {e.cut && <p className="form-error">The reply was cut off.</p>}
          </li>
        ))}
        <li ref={end} className="chat-end" aria-hidden="true" />
      </ol>
    </div>
  );
}
