// The task editor: title, description, priority, tags, due date and time in a time zone,
// reminders and repeat. Saves with If-Match, so an edit made meanwhile elsewhere is not
// silently overwritten. It never drops what was asked for: a repeat or a reminder before due
// without a due date blocks the save with the reason next to the field, and closing it with
// Escape or a click outside while there are unsaved changes asks first.
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { getTask } from '../api/endpoints';
import type { Priority, TagCount, Task, TaskInput } from '../api/types';
import { allTimeZones } from '../lib/dates';
import { plainError } from '../lib/errors';
import { draftFromTask, draftProblems, draftToInput, emptyDraft, type Draft } from '../lib/taskDraft';
import { Dialog } from './Dialog';
import { NotificationOverride } from './NotificationOverride';
import { RecurrenceEditor } from './RecurrenceEditor';
import { RemindersEditor } from './RemindersEditor';
import { TagInput } from './TagInput';

interface Props {
  task: Task | null; // null: a new task
  zone: string;
  knownTags: TagCount[];
  onSave: (input: TaskInput, version?: number) => Promise<void>;
  onClose: () => void;
}

const FIELD_OF: Record<string, string> = {
  title: 'title',
  description: 'description',
  tags: 'tags',
  due_at: 'due',
  time_zone: 'due',
  reminders: 'reminders',
  recurrence: 'recurrence',
};

// The error keys a change of each draft field may settle.
const AFFECTS: Partial<Record<keyof Draft, string[]>> = {
  dueDate: ['due', 'recurrence', 'reminders'],
  dueTime: ['due'],
  timeZone: ['due'],
  reminders: ['reminders'],
  repeat: ['recurrence'],
  customRule: ['recurrence'],
  mode: ['recurrence'],
  end: ['recurrence'],
  count: ['recurrence'],
  until: ['recurrence'],
  tags: ['tags'],
};

export function TaskEditor({ task, zone, knownTags, onSave, onClose }: Props) {
  const [draft, setDraft] = useState<Draft>(() => (task ? draftFromTask(task, zone) : emptyDraft(zone)));
  const initial = useRef(JSON.stringify(draft));
  const [confirming, setConfirming] = useState(false);
  const keepEditing = useRef<HTMLButtonElement>(null);
  const [version, setVersion] = useState(task?.version);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(allTimeZones, []);
  const patch = (p: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...p }));
    // A reason shown next to a field goes once that field (or the due date it depends on) changes.
    const touched = new Set(Object.keys(p).flatMap((k) => AFFECTS[k as keyof Draft] ?? []));
    if (touched.size > 0) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !touched.has(k))));
  };

  const dirty = JSON.stringify(draft) !== initial.current;
  // Escape, the backdrop and × ask before unsaved changes are thrown away; Cancel does not.
  const requestClose = () => {
    if (!dirty || confirming) {
      if (confirming) setConfirming(false);
      else onClose();
      return;
    }
    setConfirming(true);
    setTimeout(() => keepEditing.current?.focus(), 0);
  };
  const titleLength = [...draft.title.trim()].length;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = draftProblems(draft);
    if (Object.keys(problems).length > 0) {
      setErrors(problems);
      return;
    }
    setBusy(true);
    setErrors({});
    setNotice(null);
    try {
      await onSave(draftToInput(draft), version);
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.status === 412 && task) {
        const latest = await getTask(task.id).catch(() => null);
        if (latest) setVersion(latest.version);
        setNotice('This task was changed elsewhere meanwhile. Save again to replace those changes with yours.');
      } else if (err instanceof ApiError && err.field) {
        const key = Object.entries(FIELD_OF).find(([f]) => err.field?.startsWith(f))?.[1] ?? 'form';
        setErrors({ [key]: plainError(err) });
      } else {
        setErrors({ form: plainError(err, 'Could not save.') });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={task ? 'Edit task' : 'New task'} onClose={requestClose} wide closeLabel="Close the editor">
      <form className="editor" onSubmit={submit} noValidate>
        <div className="editor-grid">
        <div className="editor-col">
        <label className="block">
          Title
          <input
            value={draft.title}
            onChange={(e) => {
              patch({ title: e.target.value });
              if (errors['title']) setErrors(({ title: _t, ...rest }) => rest);
            }}
            required
            data-autofocus
            aria-invalid={errors['title'] || titleLength > 200 ? true : undefined}
            aria-describedby={errors['title'] || titleLength > 200 ? 'err-title' : undefined}
          />
        </label>
        {(errors['title'] || titleLength > 200) && (
          <p id="err-title" className="form-error">
            {errors['title'] ?? `The title is too long (${titleLength} of 200 characters).`}
          </p>
        )}
        <label className="block">
          Description
          <textarea
            value={draft.description}
            onChange={(e) => patch({ description: e.target.value })}
            maxLength={1000}
            rows={3}
          />
        </label>
        {errors['description'] && <p className="form-error">{errors['description']}</p>}
        <div className="row">
          <label>
            <span>Priority</span>
            <select
              aria-label="Priority"
              value={draft.priority}
              onChange={(e) => patch({ priority: e.target.value as Priority })}
            >
              <option value="none">None</option>
              <option value="low">Low</option>
              <option value="medium">Medium</option>
              <option value="high">High</option>
            </select>
          </label>
        </div>
        <TagInput tags={draft.tags} known={knownTags} onChange={(tags) => patch({ tags })} />
        {errors['tags'] && <p className="form-error">{errors['tags']}</p>}
        <RemindersEditor draft={draft} onChange={(reminders) => patch({ reminders })} />
        {errors['reminders'] && <p className="form-error">{errors['reminders']}</p>}
        </div>
        <div className="editor-col">
        <fieldset className="field">
          <legend>Due</legend>
          <div className="row">
            <label>
              <span>Date</span>
              <input type="date" aria-label="Due date" value={draft.dueDate} onChange={(e) => patch({ dueDate: e.target.value })} />
            </label>
            <label>
              <span>Time</span>
              <input
                type="time"
                aria-label="Due time"
                value={draft.dueTime}
                disabled={!draft.dueDate}
                onChange={(e) => patch({ dueTime: e.target.value })}
              />
            </label>
            {draft.dueDate && (
              <button type="button" className="ghost" onClick={() => patch({ dueDate: '' })}>
                Clear
              </button>
            )}
          </div>
          <label className="block">
            <span>Time zone</span>
            <input
              aria-label="Time zone"
              list="time-zones"
              value={draft.timeZone}
              onChange={(e) => patch({ timeZone: e.target.value })}
              autoComplete="off"
            />
            <datalist id="time-zones">
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </label>
          {errors['due'] && <p className="form-error">{errors['due']}</p>}
        </fieldset>
        <RecurrenceEditor draft={draft} onChange={patch} error={errors['recurrence']} />
        </div>
        </div>
        {task && <NotificationOverride taskId={task.id} />}
        {confirming && (
          <div className="notice confirm-discard" role="alert">
            <p>You have unsaved changes. Discard them?</p>
            <div className="row">
              <button type="button" ref={keepEditing} onClick={() => setConfirming(false)}>
                Keep editing
              </button>
              <button type="button" className="danger" onClick={onClose}>
                Discard changes
              </button>
            </div>
          </div>
        )}
        {notice && <p className="notice" role="alert">{notice}</p>}
        {errors['form'] && <p className="form-error" role="alert">{errors['form']}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
