// The list's view (search, filters, sort) as API parameters, and the same rules on the client so
// a live change can be placed in — or taken out of — the list without reloading it.
import type { Priority, SortKey, SortOrder, Task, TaskQuery } from '../api/types';
import { startOfDay, startOfWeek, toIso } from './dates';

export type DueFilter = 'any' | 'overdue' | 'today' | 'week' | 'none';
export type StatusFilter = 'pending' | 'completed' | 'all';

export interface View {
  q: string;
  status: StatusFilter;
  priority: Priority | 'any';
  tag: string;
  due: DueFilter;
  sort: SortKey;
  order: SortOrder;
}

export const DEFAULT_VIEW: View = {
  q: '',
  status: 'pending',
  priority: 'any',
  tag: '',
  due: 'any',
  sort: 'due',
  order: 'asc',
};

export const DEFAULT_ORDER: Record<SortKey, SortOrder> = {
  due: 'asc',
  title: 'asc',
  priority: 'desc',
  created: 'desc',
};

// The due window of a filter, at `now`, in the user's zone: [after, before).
export function dueWindow(
  due: DueFilter,
  zone: string,
  now: number,
): { after?: number; before?: number; hasDue?: boolean } {
  switch (due) {
    case 'overdue':
      return { before: now };
    case 'today':
      return { after: startOfDay(now, zone), before: startOfDay(now, zone, 1) };
    case 'week':
      return { after: startOfWeek(now, zone), before: startOfWeek(now, zone, 1) };
    case 'none':
      return { hasDue: false };
    default:
      return {};
  }
}

export function viewToQuery(view: View, zone: string, now: number, limit = 50): TaskQuery {
  const w = dueWindow(view.due, zone, now);
  const q: TaskQuery = { sort: view.sort, order: view.order, limit };
  if (view.q.trim()) q.q = view.q.trim();
  q.status = view.due === 'overdue' && view.status === 'all' ? 'pending' : view.status;
  if (view.priority !== 'any') q.priority = [view.priority];
  if (view.tag) q.tag = [view.tag];
  if (w.after !== undefined) q.due_after = toIso(w.after);
  if (w.before !== undefined) q.due_before = toIso(w.before);
  if (w.hasDue !== undefined) q.has_due = w.hasDue;
  return q;
}

// Lower-case, accents removed: as the server's search folds text.
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function words(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

// Every search word is a prefix of a word of the title, description or tags.
export function matchesSearch(task: Task, q: string): boolean {
  const terms = words(q);
  if (!terms.length) return true;
  const hay = [...words(task.title), ...words(task.description), ...task.tags.flatMap(words)];
  return terms.every((t) => hay.some((w) => w.startsWith(t)));
}

export function matchesQuery(task: Task, q: TaskQuery): boolean {
  if (q.status && q.status !== 'all' && task.status !== q.status) return false;
  if (q.priority?.length && !q.priority.includes(task.priority)) return false;
  if (q.tag?.length && !q.tag.every((t) => task.tags.includes(t))) return false;
  const due = task.due_at === null ? null : Date.parse(task.due_at);
  if (q.has_due !== undefined && (due !== null) !== q.has_due) return false;
  if (q.due_after && (due === null || due < Date.parse(q.due_after))) return false;
  if (q.due_before && (due === null || due >= Date.parse(q.due_before))) return false;
  if (q.q && !matchesSearch(task, q.q)) return false;
  return true;
}

const RANK: Record<Priority, number> = { none: 0, low: 1, medium: 2, high: 3 };

function key(task: Task, sort: SortKey): number | string {
  switch (sort) {
    case 'due':
      return task.due_at === null ? Number.MAX_SAFE_INTEGER : Date.parse(task.due_at);
    case 'priority':
      return RANK[task.priority];
    case 'title':
      return task.title.toLowerCase();
    case 'created':
      return Date.parse(task.created_at);
  }
}

// The server's order: by key, ties by id, both in the same direction.
export function compareTasks(sort: SortKey, order: SortOrder): (a: Task, b: Task) => number {
  const dir = order === 'asc' ? 1 : -1;
  return (a, b) => {
    const ka = key(a, sort);
    const kb = key(b, sort);
    if (ka < kb) return -dir;
    if (ka > kb) return dir;
    return (a.id - b.id) * dir;
  };
}
