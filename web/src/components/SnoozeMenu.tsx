// "Snooze" on a task with a reminder: a button that opens three choices (10 minutes, 1 hour,
// tomorrow 9:00 in the task's zone). Arrow keys move between them, Escape closes and gives the
// focus back to the button.
import { useEffect, useId, useRef, useState } from 'react';
import type { Task } from '../api/types';
import { snoozeChoices, type SnoozeChoice } from '../lib/snooze';

interface Props {
  task: Task;
  onSnooze: (choice: SnoozeChoice) => void;
  now?: () => number;
}

export function SnoozeMenu({ task, onSnooze, now = Date.now }: Props) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const choices = open ? snoozeChoices(now(), task.time_zone || 'UTC') : [];

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const outside = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const items = Array.from(menu.current?.querySelectorAll<HTMLButtonElement>('button') ?? []);
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = (i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      items[next]?.focus();
    }
  };

  return (
    <span className="snooze">
      <button
        ref={button}
        type="button"
        className="ghost"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={`Snooze “${task.title}”`}
        onClick={(e) => {
          e.stopPropagation();
          setOpen((o) => !o);
        }}
      >
        Snooze
      </button>
      {open && (
        <div id={id} ref={menu} className="snooze-menu" role="group" aria-label={`Snooze “${task.title}” for`} onKeyDown={onKeyDown}>
          {choices.map((c) => (
            <button
              key={c.label}
              type="button"
              onClick={(e) => {
                e.stopPropagation();
                setOpen(false);
                onSnooze(c);
              }}
            >
              {c.label}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}
