// The task editor: title, description, priority, tags, due date and time in a time zone,
// reminders and repeat. Saves with If-Match, so an edit made meanwhile elsewhere is not
// silently overwritten.
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { getTask } from '../api/endpoints';
import type { Priority, TagCount, Task, TaskInput } from '../api/types';
import { allTimeZones } from '../lib/dates';
import { draftFromTask, draftToInput, emptyDraft, type Draft } from '../lib/taskDraft';
import { Dialog } from './Dialog';
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

export function TaskEditor({ task, zone, knownTags, onSave, onClose }: Props) {
  const [draft, setDraft] = useState<Draft>(() => (task ? draftFromTask(task, zone) : emptyDraft(zone)));
  const [version, setVersion] = useState(task?.version);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(allTimeZones, []);
  const patch = (p: Partial<Draft>) => setDraft((d) => ({ ...d, ...p }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft.title.trim()) {
      setErrors({ title: 'A title is required.' });
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
        setErrors({ [key]: err.message });
      } else {
        setErrors({ form: err instanceof Error ? err.message : 'Could not save.' });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={task ? 'Edit task' : 'New task'} onClose={onClose} wide closeLabel="Close the editor">
      <form className="editor" onSubmit={submit} noValidate>
        <div className="editor-grid">
        <div className="editor-col">
        <label className="block">
          Title
          <input
            value={draft.title}
            onChange={(e) => patch({ title: e.target.value })}
            maxLength={200}
            required
            data-autofocus
            aria-invalid={errors['title'] ? true : undefined}
            aria-describedby={errors['title'] ? 'err-title' : undefined}
          />
        </label>
        {errors['title'] && <p id="err-title" className="form-error">{errors['title']}</p>}
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
