// Delete with undo: the task is hidden at once and an Undo toast shows; the DELETE is sent when
// the toast expires, or at once when the page is left (keepalive) or on log-out (flush).
import { useCallback, useEffect, useRef, type Dispatch } from 'react';
import { ApiError } from '../api/client';
import { deleteTask } from '../api/endpoints';
import type { Task } from '../api/types';
import type { Toast } from '../components/Toasts';
import type { ListAction } from '../state/taskList';

export const UNDO_MS = 5000;

interface Pending {
  task: Task;
  timer: ReturnType<typeof setTimeout>;
}

export function useUndoableDelete(
  dispatch: Dispatch<ListAction>,
  toast: (t: Omit<Toast, 'id'>, ms?: number) => void,
) {
  const pending = useRef(new Map<number, Pending>());

  const commit = useCallback(
    (id: number, keepalive = false) => {
      const p = pending.current.get(id);
      if (!p) return;
      clearTimeout(p.timer);
      pending.current.delete(id);
      const gone = () => {
        dispatch({ type: 'remove', id });
        dispatch({ type: 'unhide', id });
      };
      deleteTask(id, keepalive).then(gone, (e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return gone();
        dispatch({ type: 'unhide', id });
        toast({ text: `Could not delete “${p.task.title}”: ${e instanceof Error ? e.message : e}`, kind: 'error' });
      });
    },
    [dispatch, toast],
  );

  const flush = useCallback(() => {
    for (const id of [...pending.current.keys()]) commit(id, true);
  }, [commit]);

  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [flush]);

  const remove = useCallback(
    (task: Task) => {
      dispatch({ type: 'hide', id: task.id });
      pending.current.set(task.id, { task, timer: setTimeout(() => commit(task.id), UNDO_MS) });
      const undo = () => {
        const p = pending.current.get(task.id);
        if (p) clearTimeout(p.timer);
        pending.current.delete(task.id);
        dispatch({ type: 'unhide', id: task.id });
      };
      toast({ text: `Deleted “${task.title}”`, action: { label: 'Undo', run: undo } }, UNDO_MS);
    },
    [commit, dispatch, toast],
  );

  return { remove, flush };
}
