import { describe, expect, it } from 'vitest';
import type { TaskQuery } from '../api/types';
import { task } from '../test/fixtures';
import { initialList, listReducer, visibleItems, type ListState } from './taskList';

const q: TaskQuery = { status: 'pending', sort: 'due', order: 'asc', limit: 50 };

function loaded(items = [task({ id: 10, due_at: '2026-12-01T00:00:00.000Z' }), task({ id: 11, due_at: '2026-12-05T00:00:00.000Z' })], cursor: string | null = null): ListState {
  let s = listReducer(initialList, { type: 'loading', query: q, append: false });
  s = listReducer(s, { type: 'loaded', query: q, items, cursor, append: false });
  return s;
}

describe('the task list reducer', () => {
  it('ignores the answer of a view that is no longer shown', () => {
    const s = loaded();
    const other = listReducer(s, { type: 'loaded', query: { ...q, sort: 'title' }, items: [], cursor: null, append: false });
    expect(other.items).toHaveLength(2);
  });

  it('places a live task where the server would list it', () => {
    const s = listReducer(loaded(), { type: 'upsert', task: task({ id: 12, due_at: '2026-12-03T00:00:00.000Z' }) });
    expect(s.items.map((t) => t.id)).toEqual([10, 12, 11]);
  });

  it('leaves a task past the last loaded one to the next page', () => {
    const s = listReducer(loaded(undefined, 'more'), { type: 'upsert', task: task({ id: 12, due_at: '2027-01-01T00:00:00.000Z' }) });
    expect(s.items.map((t) => t.id)).toEqual([10, 11]);
  });

  it('does not insert tasks the filter excludes, but keeps a shown task that got completed', () => {
    let s = listReducer(loaded(), { type: 'upsert', task: task({ id: 13, status: 'completed' }) });
    expect(s.items.map((t) => t.id)).toEqual([10, 11]);
    s = listReducer(s, { type: 'upsert', task: task({ id: 10, due_at: '2026-12-01T00:00:00.000Z', status: 'completed', version: 2 }) });
    expect(s.items.find((t) => t.id === 10)?.status).toBe('completed');
  });

  it('keeps the newer version unless forced (rollback)', () => {
    const newer = task({ id: 10, due_at: '2026-12-01T00:00:00.000Z', version: 3, title: 'new' });
    let s = listReducer(loaded(), { type: 'upsert', task: newer });
    s = listReducer(s, { type: 'upsert', task: { ...newer, version: 2, title: 'old' } });
    expect(s.items[0]?.title).toBe('new');
    s = listReducer(s, { type: 'upsert', task: { ...newer, version: 2, title: 'old' }, force: true });
    expect(s.items[0]?.title).toBe('old');
  });

  it('hides a task while its delete can be undone', () => {
    let s = listReducer(loaded(), { type: 'hide', id: 10 });
    expect(visibleItems(s).map((t) => t.id)).toEqual([11]);
    s = listReducer(s, { type: 'upsert', task: task({ id: 10, version: 5 }) });
    expect(visibleItems(s).map((t) => t.id)).toEqual([11]);
    s = listReducer(s, { type: 'unhide', id: 10 });
    expect(visibleItems(s).map((t) => t.id)).toEqual([10, 11]);
  });

  it('appends pages without duplicates', () => {
    const s = listReducer(loaded(undefined, 'c1'), {
      type: 'loaded',
      query: q,
      items: [task({ id: 11 }), task({ id: 14 })],
      cursor: null,
      append: true,
    });
    expect(s.items.map((t) => t.id)).toEqual([10, 11, 14]);
    expect(s.cursor).toBeNull();
  });
});
