// The task list as a reducer: pages loaded from the API cursor, and changes applied in place
// (optimistic ones, live ones from the WebSocket), each placed where the server would list it.
import type { Task, TaskQuery } from '../api/types';
import { compareTasks, matchesQuery } from '../lib/taskFilters';

export interface ListState {
  query: TaskQuery | null;
  items: Task[];
  cursor: string | null;
  loading: boolean;
  error: string | null;
  hidden: number[]; // deleted locally, waiting for the undo toast to expire
}

export const initialList: ListState = {
  query: null,
  items: [],
  cursor: null,
  loading: false,
  error: null,
  hidden: [],
};

export type ListAction =
  | { type: 'loading'; query: TaskQuery; append: boolean }
  | { type: 'loaded'; query: TaskQuery; items: Task[]; cursor: string | null; append: boolean }
  | { type: 'failed'; query: TaskQuery; error: string }
  | { type: 'upsert'; task: Task; force?: boolean } // force: even if the version is older
  | { type: 'remove'; id: number }
  | { type: 'hide'; id: number }
  | { type: 'unhide'; id: number };

function sameQuery(a: TaskQuery | null, b: TaskQuery): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// Where a task goes in a sorted list; null when it sorts after the last loaded item while more
// pages remain (it will come with them).
function place(state: ListState, task: Task): Task[] | null {
  const q = state.query;
  if (!q) return null;
  const cmp = compareTasks(q.sort ?? 'created', q.order ?? 'desc');
  const rest = state.items.filter((t) => t.id !== task.id);
  const i = rest.findIndex((t) => cmp(task, t) < 0);
  if (i === -1) {
    if (state.cursor !== null) return rest;
    return [...rest, task];
  }
  return [...rest.slice(0, i), task, ...rest.slice(i)];
}

export function listReducer(state: ListState, action: ListAction): ListState {
  switch (action.type) {
    case 'loading':
      return action.append
        ? { ...state, loading: true, error: null }
        : { ...state, query: action.query, loading: true, error: null };
    case 'loaded': {
      if (!sameQuery(state.query, action.query)) return state; // an older view's answer
      const items = action.append
        ? [...state.items, ...action.items.filter((t) => !state.items.some((x) => x.id === t.id))]
        : action.items;
      return { ...state, items, cursor: action.cursor, loading: false, error: null };
    }
    case 'failed':
      if (!sameQuery(state.query, action.query)) return state;
      return { ...state, loading: false, error: action.error };
    case 'upsert': {
      const { task } = action;
      if (state.hidden.includes(task.id)) return state;
      const current = state.items.find((t) => t.id === task.id);
      if (current && !action.force && current.version > task.version) return state;
      const q = state.query;
      if (!q) return state;
      // A task the user sees and just completed (or reopened) stays in view until the next
      // reload, checked or unchecked; other filters apply at once.
      const visible = current
        ? matchesQuery(task, { ...q, status: 'all' })
        : matchesQuery(task, q);
      if (!visible) return { ...state, items: state.items.filter((t) => t.id !== task.id) };
      if (current && compareTasks(q.sort ?? 'created', q.order ?? 'desc')(current, task) === 0) {
        return { ...state, items: state.items.map((t) => (t.id === task.id ? task : t)) };
      }
      const items = place(state, task);
      return items ? { ...state, items } : state;
    }
    case 'remove':
      return { ...state, items: state.items.filter((t) => t.id !== action.id) };
    case 'hide':
      return { ...state, hidden: [...state.hidden, action.id] };
    case 'unhide':
      return { ...state, hidden: state.hidden.filter((id) => id !== action.id) };
  }
}

export function visibleItems(state: ListState): Task[] {
  return state.items.filter((t) => !state.hidden.includes(t.id));
}
