// One task in the list: a checkbox to complete or reopen it, the title with its due date, tags,
// priority and recurrence, and buttons for snooze (with a reminder), edit, history and delete.
import { useLayoutEffect, useRef } from 'react';
import type { Task } from '../api/types';
import { formatDue, isOverdue, zonedParts, instantToWall } from '../lib/dates';
import { summarize } from '../lib/rrule';
import { canSnooze, type SnoozeChoice } from '../lib/snooze';
import { AlarmIcon, RepeatIcon } from './Icons';
import { SnoozeMenu } from './SnoozeMenu';

interface Props {
  task: Task;
  zone: string;
  selected: boolean;
  onSelect: () => void;
  onToggle: () => void;
  onEdit: () => void;
  onHistory: () => void;
  onDelete: () => void;
  onSnooze?: (choice: SnoozeChoice) => void;
}

export function recurrenceSummary(task: Task, zone: string): string | null {
  if (!task.recurrence) return null;
  if (!task.due_at) return summarize(task.recurrence.rrule, { mode: task.recurrence.mode });
  const ms = Date.parse(task.due_at);
  const p = zonedParts(ms, task.time_zone || zone);
  return summarize(task.recurrence.rrule, {
    time: instantToWall(ms, task.time_zone || zone).time,
    mode: task.recurrence.mode,
    startMonth: p.month,
    startDay: p.day,
  });
}

export function TaskRow({ task, zone, selected, onSelect, onToggle, onEdit, onHistory, onDelete, onSnooze }: Props) {
  const done = task.status === 'completed';
  const overdue = !done && isOverdue(task.due_at);
  const repeat = recurrenceSummary(task, zone);
  // A completed task may move in the list; moving the focused checkbox drops focus to the page.
  // Keep it on the checkbox, so the keyboard stays in the list (and the shortcuts work).
  const check = useRef<HTMLInputElement>(null);
  const refocus = useRef(false);
  useLayoutEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    const active = document.activeElement;
    if (!active || active === document.body) check.current?.focus();
  }, [task.status]);
  return (
    <li
      className={`task${done ? ' done' : ''}${selected ? ' selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      data-task-id={task.id}
      onClick={onSelect}
    >
      <input
        type="checkbox"
        className="check"
        ref={check}
        checked={done}
        onChange={() => {
          refocus.current = true;
          onToggle();
        }}
        aria-label={`${done ? 'Reopen' : 'Complete'} “${task.title}”`}
      />
      <div className="task-main">
        <button type="button" className="task-title" onClick={onEdit}>
          {task.title}
        </button>
        <div className="task-meta">
          {task.due_at && (
            <span className={overdue ? 'due overdue' : 'due'}>
              <span className="visually-hidden">{overdue ? 'Overdue, due ' : 'Due '}</span>
              {formatDue(task.due_at, zone)}
            </span>
          )}
          {repeat && (
            <span className="repeat" title={task.recurrence?.rrule}>
              <RepeatIcon /> {repeat}
            </span>
          )}
          {task.reminders.length > 0 && (
            <span className="bell">
              <AlarmIcon />
              <span className="visually-hidden">Reminders: </span>
              {task.reminders.length}
            </span>
          )}
          {task.tags.map((t) => (
            <span key={t} className="tag">
              #{t}
            </span>
          ))}
          {task.priority !== 'none' && (
            <span className={`prio prio-${task.priority}`}>{task.priority}</span>
          )}
        </div>
      </div>
      <div className="task-actions">
        {onSnooze && canSnooze(task) && <SnoozeMenu task={task} onSnooze={onSnooze} />}
        <button type="button" className="ghost" onClick={onEdit} aria-label={`Edit “${task.title}”`}>
          Edit
        </button>
        <button type="button" className="ghost" onClick={onHistory} aria-label={`History of “${task.title}”`}>
          History
        </button>
        <button type="button" className="ghost danger" onClick={onDelete} aria-label={`Delete “${task.title}”`}>
          Delete
        </button>
      </div>
    </li>
  );
}
