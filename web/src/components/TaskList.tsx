// The list of tasks with infinite scroll on the API cursor (and a "Load more" button for
// keyboards and screen readers), empty, loading and error states.
import { useEffect, useRef } from 'react';
import type { Task } from '../api/types';
import type { SnoozeChoice } from '../lib/snooze';
import { TaskRow } from './TaskRow';

interface Props {
  tasks: Task[];
  zone: string;
  selectedId: number | null;
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  filtered: boolean;
  onMore: () => void;
  onRetry: () => void;
  onSelect: (t: Task) => void;
  onToggle: (t: Task) => void;
  onEdit: (t: Task) => void;
  onHistory: (t: Task) => void;
  onDelete: (t: Task) => void;
  onSnooze?: (t: Task, choice: SnoozeChoice) => void;
}

export function TaskList(p: Props) {
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasMore, loading, error } = p;
  // The latest onMore, so that a new callback (every parent render) does not rebuild the observer.
  const onMore = useRef(p.onMore);
  onMore.current = p.onMore;

  useEffect(() => {
    const el = sentinel.current;
    // After a failed page the "Load more" button retries: a new observer would see the visible
    // end of the list at once and ask again, in a loop.
    if (!el || !hasMore || error || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loading) onMore.current();
    }, { rootMargin: '200px' });
    io.observe(el);
    return () => io.disconnect();
  }, [hasMore, loading, error]);

  if (p.error && p.tasks.length === 0) {
    return (
      <div className="empty" role="alert">
        <p>Could not load your tasks: {p.error}</p>
        <button type="button" onClick={p.onRetry}>
          Try again
        </button>
      </div>
    );
  }
  if (!p.loading && p.tasks.length === 0) {
    return (
      <div className="empty">
        <p>{p.filtered ? 'No task matches these filters.' : 'Nothing to do. Add a task above.'}</p>
      </div>
    );
  }
  return (
    <section aria-label="Tasks" aria-busy={p.loading}>
      <ul className="tasks" aria-label="Tasks">
        {p.tasks.map((t) => (
          <TaskRow
            key={t.id}
            task={t}
            zone={p.zone}
            selected={t.id === p.selectedId}
            onSelect={() => p.onSelect(t)}
            onToggle={() => p.onToggle(t)}
            onEdit={() => p.onEdit(t)}
            onHistory={() => p.onHistory(t)}
            onDelete={() => p.onDelete(t)}
            onSnooze={p.onSnooze && ((c) => p.onSnooze?.(t, c))}
          />
        ))}
      </ul>
      <div ref={sentinel} className="list-end">
        {p.loading && <p className="muted">Loading…</p>}
        {p.error && <p className="form-error">{p.error}</p>}
        {hasMore && !p.loading && (
          <button type="button" onClick={p.onMore}>
            Load more
          </button>
        )}
      </div>
    </section>
  );
}
