// Search (server-side full text), filters and sort of the task list.
import { forwardRef } from 'react';
import type { Priority, SortKey, TagCount } from '../api/types';
import { DEFAULT_ORDER, type DueFilter, type StatusFilter, type View } from '../lib/taskFilters';

interface Props {
  view: View;
  tags: TagCount[];
  onChange: (v: View) => void;
}

export const Filters = forwardRef<HTMLInputElement, Props>(function Filters(
  { view, tags, onChange },
  searchRef,
) {
  const set = <K extends keyof View>(k: K, v: View[K]) => onChange({ ...view, [k]: v });
  return (
    <div className="filters">
      <div className="search" role="search">
        <label htmlFor="search" className="visually-hidden">
          Search tasks
        </label>
        <input
          id="search"
          ref={searchRef}
          type="search"
          placeholder="Search  ( / )"
          value={view.q}
          onChange={(e) => set('q', e.target.value)}
          autoComplete="off"
        />
      </div>
      <div className="filter-row" role="group" aria-label="Filters and sort">
        <div className="filter">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={view.status} onChange={(e) => set('status', e.target.value as StatusFilter)}>
            <option value="pending">Open</option>
            <option value="completed">Done</option>
            <option value="all">All</option>
          </select>
        </div>
        <div className="filter">
          <label htmlFor="filter-due">Due</label>
          <select
            id="filter-due"
 value={view.due} onChange={(e) => set('due', e.target.value as DueFilter)}>
            <option value="any">Any</option>
            <option value="overdue">Overdue</option>
            <option value="today">Today</option>
            <option value="week">This week</option>
            <option value="none">No date</option>
          </select>
        </div>
        <div className="filter">
          <label htmlFor="filter-priority">Priority</label>
          <select
            id="filter-priority"
            value={view.priority}
            onChange={(e) => set('priority', e.target.value as Priority | 'any')}
          >
            <option value="any">Any</option>
            <option value="high">High</option>
            <option value="medium">Medium</option>
            <option value="low">Low</option>
            <option value="none">None</option>
          </select>
        </div>
        <div className="filter">
          <label htmlFor="filter-tag">Tag</label>
          <select
            id="filter-tag"
 value={view.tag} onChange={(e) => set('tag', e.target.value)}>
            <option value="">Any</option>
            {view.tag && !tags.some((t) => t.tag === view.tag) && (
              <option value={view.tag}>#{view.tag}</option>
            )}
            {tags.map((t) => (
              <option key={t.tag} value={t.tag}>
                #{t.tag} ({t.count})
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="filter-sort">Sort</label>
          <select
            id="filter-sort"
            value={view.sort}
            onChange={(e) => {
              const sort = e.target.value as SortKey;
              onChange({ ...view, sort, order: DEFAULT_ORDER[sort] });
            }}
          >
            <option value="due">Due date</option>
            <option value="priority">Priority</option>
            <option value="title">Title</option>
            <option value="created">Created</option>
          </select>
        </div>
        <button
          type="button"
          className="order"
          onClick={() => set('order', view.order === 'asc' ? 'desc' : 'asc')}
          aria-label={view.order === 'asc' ? 'Ascending order; switch to descending' : 'Descending order; switch to ascending'}
          title="Reverse the order"
        >
          {view.order === 'asc' ? '↑' : '↓'}
        </button>
      </div>
    </div>
  );
});
