import { describe, expect, it } from 'vitest';
import { task } from '../test/fixtures';
import { DEFAULT_VIEW, compareTasks, matchesQuery, matchesSearch, viewToQuery } from './taskFilters';

const now = Date.parse('2026-12-02T10:00:00Z'); // a Wednesday

describe('viewToQuery', () => {
  it('maps the default view', () => {
    expect(viewToQuery(DEFAULT_VIEW, 'UTC', now)).toEqual({ sort: 'due', order: 'asc', limit: 50, status: 'pending' });
  });
  it('maps due filters to windows in the user zone', () => {
    const today = viewToQuery({ ...DEFAULT_VIEW, due: 'today' }, 'Europe/Berlin', now);
    expect(today.due_after).toBe('2026-12-01T23:00:00.000Z');
    expect(today.due_before).toBe('2026-12-02T23:00:00.000Z');
    const week = viewToQuery({ ...DEFAULT_VIEW, due: 'week' }, 'UTC', now);
    expect([week.due_after, week.due_before]).toEqual(['2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z']);
    const overdue = viewToQuery({ ...DEFAULT_VIEW, status: 'all', due: 'overdue' }, 'UTC', now);
    expect(overdue).toMatchObject({ status: 'pending', due_before: '2026-12-02T10:00:00.000Z' });
    expect(viewToQuery({ ...DEFAULT_VIEW, due: 'none' }, 'UTC', now).has_due).toBe(false);
  });
  it('maps search, priority and tag', () => {
    const q = viewToQuery({ ...DEFAULT_VIEW, q: '  milk ', priority: 'high', tag: 'home' }, 'UTC', now);
    expect(q).toMatchObject({ q: 'milk', priority: ['high'], tag: ['home'] });
  });
});

describe('client-side matching', () => {
  it('searches word prefixes, ignoring case and accents', () => {
    const t = task({ title: 'Café visit', description: 'Bring the passport', tags: ['trip'] });
    expect(matchesSearch(t, 'cafe')).toBe(true);
    expect(matchesSearch(t, 'PASS tri')).toBe(true);
    expect(matchesSearch(t, 'isit')).toBe(false);
  });
  it('applies every filter', () => {
    const t = task({ priority: 'high', tags: ['home', 'money'], due_at: '2026-12-02T08:00:00.000Z' });
    expect(matchesQuery(t, { status: 'pending', priority: ['high', 'low'], tag: ['home'] })).toBe(true);
    expect(matchesQuery(t, { status: 'completed' })).toBe(false);
    expect(matchesQuery(t, { tag: ['home', 'work'] })).toBe(false);
    expect(matchesQuery(t, { due_after: '2026-12-02T08:00:00.000Z' })).toBe(true);
    expect(matchesQuery(t, { due_before: '2026-12-02T08:00:00.000Z' })).toBe(false);
    expect(matchesQuery(t, { has_due: false })).toBe(false);
    expect(matchesQuery(task(), { has_due: false })).toBe(true);
  });
});

describe('compareTasks', () => {
  it('orders like the server: no due date last ascending, ties by id', () => {
    const a = task({ id: 1, due_at: '2026-12-03T00:00:00.000Z' });
    const b = task({ id: 2, due_at: null });
    const c = task({ id: 3, due_at: '2026-12-01T00:00:00.000Z' });
    const d = task({ id: 4, due_at: '2026-12-01T00:00:00.000Z' });
    expect([a, b, c, d].sort(compareTasks('due', 'asc')).map((t) => t.id)).toEqual([3, 4, 1, 2]);
    expect([a, b, c, d].sort(compareTasks('due', 'desc')).map((t) => t.id)).toEqual([2, 1, 4, 3]);
  });
  it('sorts titles case-insensitively and priority high first descending', () => {
    const x = task({ id: 1, title: 'banana', priority: 'low' });
    const y = task({ id: 2, title: 'Apple', priority: 'high' });
    expect([x, y].sort(compareTasks('title', 'asc')).map((t) => t.id)).toEqual([2, 1]);
    expect([x, y].sort(compareTasks('priority', 'desc')).map((t) => t.id)).toEqual([2, 1]);
  });
});
