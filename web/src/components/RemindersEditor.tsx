// Reminders of a task: "N minutes/hours/days before" the due time, or at a date and time.
import { todayIn } from '../lib/dates';
import type { Draft, ReminderDraft, ReminderUnit } from '../lib/taskDraft';

interface Props {
  draft: Draft;
  onChange: (reminders: ReminderDraft[]) => void;
}

export function RemindersEditor({ draft, onChange }: Props) {
  const list = draft.reminders;
  const set = (i: number, r: ReminderDraft) => onChange(list.map((x, j) => (j === i ? r : x)));
  // An "at" reminder starts on the due date, else today in the task's zone, at the due time or 09:00.
  const atDefault = (): ReminderDraft => ({
    kind: 'at',
    date: draft.dueDate || todayIn(draft.timeZone),
    time: draft.dueTime || '09:00',
  });
  return (
    <fieldset className="field">
      <legend>Reminders</legend>
      {list.length === 0 && <p className="muted">No reminders.</p>}
      <ul className="reminders">
        {list.map((r, i) => (
          <li key={i}>
            <label className="visually-hidden" htmlFor={`rem-kind-${i}`}>
              Reminder {i + 1} kind
            </label>
            <select
              id={`rem-kind-${i}`}
              value={r.kind}
              onChange={(e) =>
                set(
                  i,
                  e.target.value === 'at'
                    ? atDefault()
                    : { kind: 'before', amount: 15, unit: 'minutes' },
                )
              }
            >
              <option value="before">Before due</option>
              <option value="at">At</option>
            </select>
            {r.kind === 'before' ? (
              <>
                <input
                  type="number"
                  min={0}
                  aria-label={`Reminder ${i + 1} amount`}
                  value={r.amount}
                  onChange={(e) => set(i, { ...r, amount: Number(e.target.value) })}
                />
                <select
                  aria-label={`Reminder ${i + 1} unit`}
                  value={r.unit}
                  onChange={(e) => set(i, { ...r, unit: e.target.value as ReminderUnit })}
                >
                  <option value="minutes">minutes before</option>
                  <option value="hours">hours before</option>
                  <option value="days">days before</option>
                </select>
              </>
            ) : (
              <>
                <input
                  type="date"
                  aria-label={`Reminder ${i + 1} date`}
                  value={r.date}
                  onChange={(e) => set(i, { ...r, date: e.target.value })}
                />
                <input
                  type="time"
                  aria-label={`Reminder ${i + 1} time`}
                  value={r.time}
                  onChange={(e) => set(i, { ...r, time: e.target.value })}
                />
              </>
            )}
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove reminder ${i + 1}`}
              onClick={() => onChange(list.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="ghost"
        onClick={() =>
          onChange([...list, draft.dueDate ? { kind: 'before', amount: 15, unit: 'minutes' } : atDefault()])
        }
      >
        + Add reminder
      </button>
      {!draft.dueDate && list.some((r) => r.kind === 'before') && (
        <p className="hint">“Before” reminders need a due date.</p>
      )}
    </fieldset>
  );
}
