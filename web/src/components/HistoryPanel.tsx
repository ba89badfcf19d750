// The audit trail of a task (GET /api/tasks/{id}/history): who did what and when, with the
// changed fields as before → after.
import { useEffect, useState } from 'react';
import { taskHistory } from '../api/endpoints';
import type { HistoryEntry, Task } from '../api/types';
import { formatInstant } from '../lib/dates';
import { Dialog } from './Dialog';

const VERBS: Record<string, string> = {
  created: 'Created',
  updated: 'Edited',
  completed: 'Completed',
  reopened: 'Reopened',
  deleted: 'Deleted',
};

export function eventVerb(type: string): string {
  const m = /^tickler\.task\.(\w+)\.v\d+$/.exec(type);
  return (m && VERBS[m[1] ?? '']) || type;
}

export function showValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) {
    return v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : '—';
  }
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return formatInstant(v);
  return String(v);
}

export function HistoryPanel({ task, onClose }: { task: Task; onClose: () => void }) {
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    taskHistory(task.id).then(setEntries, (e: unknown) =>
      setError(e instanceof Error ? e.message : 'Could not load the history.'),
    );
  }, [task.id]);

  return (
    <Dialog title={`History of “${task.title}”`} onClose={onClose}>
      {error && <p className="form-error" role="alert">{error}</p>}
      {!entries && !error && <p className="muted">Loading…</p>}
      {entries && (
        <ol className="history">
          {entries.map((e) => (
            <li key={e.id}>
              <p>
                <strong>{eventVerb(e.type)}</strong> <span className="muted">by {e.actor || 'you'}</span>{' '}
                <time dateTime={e.at}>{formatInstant(e.at)}</time>
              </p>
              {Object.keys(e.changes).length > 0 && (
                <dl className="diff">
                  {Object.entries(e.changes).map(([field, c]) => (
                    <div key={field}>
                      <dt>{field.replace('_', ' ')}</dt>
                      <dd>
                        <del>{showValue(c.before)}</del> <span aria-hidden="true">→</span>
                        <span className="visually-hidden">changed to</span> <ins>{showValue(c.after)}</ins>
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
            </li>
          ))}
        </ol>
      )}
    </Dialog>
  );
}
