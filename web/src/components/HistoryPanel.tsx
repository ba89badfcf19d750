// The audit trail of a task (GET /api/tasks/{id}/history): who did what and when, with the
// changed fields as before → after (a creation lists what the task started with); then the
// receipts of its reminders (GET /api/tasks/{id}/deliveries): each fired reminder per channel.
import { useEffect, useState } from 'react';
import { taskDeliveries, taskHistory } from '../api/endpoints';
import type { Change, DeliveryReceipt, HistoryEntry, Task } from '../api/types';
import { formatInstant } from '../lib/dates';
import { formatMinutesBefore } from '../lib/preview';
import { summarize } from '../lib/rrule';
import { Dialog } from './Dialog';
import { Receipts } from './Receipts';

// A task's deliveries grouped by reminder, in the order they fired.
export function byReminder(items: DeliveryReceipt[]): [string, DeliveryReceipt[]][] {
  const groups = new Map<string, DeliveryReceipt[]>();
  for (const d of items) groups.set(d.reminder_id, [...(groups.get(d.reminder_id) ?? []), d]);
  return [...groups.entries()];
}

const VERBS: Record<string, string> = {
  created: 'Created',
  updated: 'Edited',
  completed: 'Completed',
  reopened: 'Reopened',
  deleted: 'Deleted',
};

// The fields people edit, in the order shown; bookkeeping (id, version, series…) is left out.
const FIELDS: [string, string][] = [
  ['title', 'Title'],
  ['description', 'Description'],
  ['status', 'Status'],
  ['priority', 'Priority'],
  ['tags', 'Tags'],
  ['due_at', 'Due'],
  ['time_zone', 'Time zone'],
  ['reminders', 'Reminders'],
  ['recurrence', 'Repeat'],
];

export function eventVerb(type: string): string {
  const m = /^tickler\.task\.(\w+)\.v\d+$/.exec(type);
  return (m && VERBS[m[1] ?? '']) || type;
}

// The audit actor in words: "you", an API token by its name, an MCP client, the assistant.
export function actorName(actor: string, userId: number): string {
  if (!actor || actor === `user:${userId}`) return 'you';
  if (actor === 'recurrer') return 'Tickler (next occurrence)';
  if (actor.startsWith('token:')) return `API token “${actor.slice('token:'.length)}”`;
  if (actor.startsWith('mcp:')) return `${actor.slice('mcp:'.length)} (MCP)`;
  return actor;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

export function showValue(field: string, v: unknown): string {
  if (isEmpty(v)) return '—';
  if (field === 'tags' && Array.isArray(v)) return v.map((t) => `#${String(t)}`).join(' ');
  if (field === 'reminders' && Array.isArray(v)) {
    return v
      .map((r: { before_minutes?: number; at?: string }) =>
        r.at ? `at ${formatInstant(r.at)}` : formatMinutesBefore(r.before_minutes ?? 0),
      )
      .join(', ');
  }
  if (field === 'recurrence' && typeof v === 'object') {
    const r = v as { rrule?: string; mode?: 'schedule' | 'completion' };
    return (r.rrule && summarize(r.rrule, { mode: r.mode })) || JSON.stringify(v);
  }
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return formatInstant(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function shownChanges(changes: Record<string, Change>): [string, string, Change][] {
  return FIELDS.filter(([f]) => f in changes)
    .map(([f, label]) => [f, label, changes[f] as Change] as [string, string, Change])
    .filter(([, , c]) => !(isEmpty(c.before) && isEmpty(c.after)));
}

interface Props {
  task: Task;
  userId: number;
  onClose: () => void;
}

export function HistoryPanel({ task, userId, onClose }: Props) {
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deliveries, setDeliveries] = useState<DeliveryReceipt[]>([]);

  useEffect(() => {
    taskHistory(task.id).then(setEntries, (e: unknown) =>
      setError(e instanceof Error ? e.message : 'Could not load the history.'),
    );
    // Receipts are a bonus: without them (an older server), the history stands alone.
    taskDeliveries(task.id).then(setDeliveries, () => setDeliveries([]));
  }, [task.id]);

  return (
    <Dialog title={`History of “${task.title}”`} onClose={onClose}>
      {error && <p className="form-error" role="alert">{error}</p>}
      {!entries && !error && <p className="muted">Loading…</p>}
      {entries && (
        <ol className="history">
          {entries.map((e) => {
            const created = eventVerb(e.type) === 'Created';
            const changes = shownChanges(e.changes);
            return (
              <li key={e.id}>
                <p>
                  <strong>{eventVerb(e.type)}</strong>{' '}
                  <span className="muted">by {actorName(e.actor, userId)}</span>{' '}
                  <time dateTime={e.at}>{formatInstant(e.at)}</time>
                </p>
                {changes.length > 0 && (
                  <dl className="diff">
                    {changes.map(([field, label, c]) => (
                      <div key={field}>
                        <dt>{label}</dt>
                        <dd>
                          {created ? (
                            showValue(field, c.after)
                          ) : (
                            <>
                              <del>{showValue(field, c.before)}</del> <span aria-hidden="true">→</span>
                              <span className="visually-hidden">changed to</span>{' '}
                              <ins>{showValue(field, c.after)}</ins>
                            </>
                          )}
                        </dd>
                      </div>
                    ))}
                  </dl>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {deliveries.length > 0 && (
        <section aria-label="Reminders sent">
          <h3>Reminders sent</h3>
          <ol className="history">
            {byReminder(deliveries).map(([reminder, items]) => (
              <li key={reminder}>
                <p>
                  <strong>Reminder</strong>{' '}
                  <time dateTime={items[0]?.created_at}>{formatInstant(items[0]?.created_at ?? '')}</time>
                </p>
                <Receipts items={items} />
              </li>
            ))}
          </ol>
        </section>
      )}
    </Dialog>
  );
}
