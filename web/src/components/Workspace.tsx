// The signed-in app: quick add, search and filters, the live task list, the editor, history,
// notifications, toasts and the keyboard shortcuts. Holds the list state and the live
// connection; the components below it only show and report.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { ApiError, NetworkError } from '../api/client';
import {
  completeTask,
  createTask,
  deleteTask,
  getTask,
  listNotifications,
  listTags,
  listTasks,
  markNotificationRead,
  quickAdd,
  reopenTask,
  updateTask,
} from '../api/endpoints';
import type { AppNotification, LiveMessage, TagCount, Task, TaskInput, TaskQuery, User } from '../api/types';
import { api } from '../api/client';
import { userTimeZone } from '../lib/dates';
import { LiveConnection, fromLive, type LiveState } from '../lib/live';
import { DEFAULT_VIEW, viewToQuery, type View } from '../lib/taskFilters';
import { initialList, listReducer, visibleItems } from '../state/taskList';
import { useBrowserNotifications } from '../hooks/useBrowserNotifications';
import { useDebounced } from '../hooks/useDebounced';
import { useShortcuts } from '../hooks/useShortcuts';
import { useToasts } from '../hooks/useToasts';
import { Filters } from './Filters';
import { BellIcon } from './Icons';
import { HelpDialog } from './HelpDialog';
import { HistoryPanel } from './HistoryPanel';
import { NotificationCenter } from './NotificationCenter';
import { QuickAdd } from './QuickAdd';
import { TaskEditor } from './TaskEditor';
import { TaskList } from './TaskList';
import { Toasts } from './Toasts';

const UNDO_MS = 5000;
const PAGE = 50;

function message(e: unknown): string {
  if (e instanceof ApiError || e instanceof NetworkError) return e.message;
  return e instanceof Error ? e.message : 'Something went wrong.';
}

interface PendingDelete {
  task: Task;
  timer: ReturnType<typeof setTimeout>;
}

export function Workspace({ user, onLogout }: { user: User; onLogout: () => void }) {
  const zone = useMemo(userTimeZone, []);
  const [view, setView] = useState<View>(DEFAULT_VIEW);
  const [list, dispatch] = useReducer(listReducer, initialList);
  const [tags, setTags] = useState<TagCount[]>([]);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [editing, setEditing] = useState<Task | 'new' | null>(null);
  const [historyOf, setHistoryOf] = useState<Task | null>(null);
  const [notifOpen, setNotifOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [notifications, setNotifications] = useState<AppNotification[]>([]);
  const [live, setLive] = useState<LiveState>('connecting');
  const [online, setOnline] = useState(() => navigator.onLine);
  const [reloads, setReloads] = useState(0);
  const { toasts, show: toast, dismiss } = useToasts();
  const browser = useBrowserNotifications();
  const quickRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const pending = useRef(new Map<number, PendingDelete>());

  const q = useDebounced(view.q, 250);
  const viewKey = JSON.stringify({ ...view, q });
  const query = useMemo<TaskQuery>(() => viewToQuery({ ...view, q }, zone, Date.now(), PAGE), [viewKey, reloads, zone]);
  const tasks = visibleItems(list);

  const load = useCallback(async (base: TaskQuery, cursor?: string | null) => {
    dispatch({ type: 'loading', query: base, append: !!cursor });
    try {
      const page = await listTasks(cursor ? { ...base, cursor } : base);
      dispatch({ type: 'loaded', query: base, items: page.items, cursor: page.next_cursor, append: !!cursor });
    } catch (e) {
      dispatch({ type: 'failed', query: base, error: message(e) });
    }
  }, []);

  const refreshTags = useCallback(() => {
    listTags().then(setTags, () => undefined);
  }, []);

  const refreshNotifications = useCallback(() => {
    listNotifications().then(setNotifications, () => undefined);
  }, []);

  useEffect(() => {
    void load(query);
  }, [query, load]);

  useEffect(() => {
    refreshTags();
    refreshNotifications();
  }, [refreshTags, refreshNotifications]);

  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);

  // Live updates: changes from other tabs, devices and the server (next occurrences, reminders).
  const onLive = useRef<(m: LiveMessage) => void>(() => undefined);
  onLive.current = (m: LiveMessage) => {
    if (m.type === 'task') {
      if (m.op === 'deleted') dispatch({ type: 'remove', id: m.task.id });
      else dispatch({ type: 'upsert', task: m.task });
      if (m.op === 'created' || m.op === 'updated' || m.op === 'deleted') refreshTags();
    } else if (m.type === 'notification') {
      const n = fromLive(m.notification);
      setNotifications((ns) => (ns.some((x) => x.id === n.id) ? ns : [n, ...ns]));
      toast({ text: `Reminder: ${n.title}`, kind: 'reminder' }, 10000);
      browser.show(n);
    }
  };
  useEffect(() => {
    const conn = new LiveConnection({
      message: (m) => onLive.current(m),
      resync: () => {
        setReloads((r) => r + 1);
        refreshNotifications();
      },
      state: setLive,
      token: () => api.getToken(),
    });
    conn.start();
    return () => conn.stop();
  }, [refreshNotifications]);

  // Deletes wait for the undo toast; leaving the page sends them at once.
  const commitDelete = useCallback(
    (id: number, keepalive = false) => {
      const p = pending.current.get(id);
      if (!p) return;
      clearTimeout(p.timer);
      pending.current.delete(id);
      deleteTask(id, keepalive).then(
        () => {
          dispatch({ type: 'remove', id });
          dispatch({ type: 'unhide', id });
        },
        (e: unknown) => {
          if (e instanceof ApiError && e.status === 404) {
            dispatch({ type: 'remove', id });
            dispatch({ type: 'unhide', id });
            return;
          }
          dispatch({ type: 'unhide', id });
          toast({ text: `Could not delete “${p.task.title}”: ${message(e)}`, kind: 'error' });
        },
      );
    },
    [toast],
  );
  const flushDeletes = useCallback(() => {
    for (const id of [...pending.current.keys()]) commitDelete(id, true);
  }, [commitDelete]);
  useEffect(() => {
    window.addEventListener('pagehide', flushDeletes);
    return () => window.removeEventListener('pagehide', flushDeletes);
  }, [flushDeletes]);

  const remove = (task: Task) => {
    dispatch({ type: 'hide', id: task.id });
    const timer = setTimeout(() => commitDelete(task.id), UNDO_MS);
    pending.current.set(task.id, { task, timer });
    toast(
      {
        text: `Deleted “${task.title}”`,
        action: {
          label: 'Undo',
          run: () => {
            const p = pending.current.get(task.id);
            if (p) clearTimeout(p.timer);
            pending.current.delete(task.id);
            dispatch({ type: 'unhide', id: task.id });
          },
        },
      },
      UNDO_MS,
    );
  };

  // Optimistic: the checkbox flips at once and flips back if the server says no.
  const toggle = async (task: Task) => {
    const completing = task.status === 'pending';
    dispatch({
      type: 'upsert',
      force: true,
      task: { ...task, status: completing ? 'completed' : 'pending', completed_at: completing ? new Date().toISOString() : null },
    });
    try {
      const t = await (completing ? completeTask(task.id) : reopenTask(task.id));
      dispatch({ type: 'upsert', task: t, force: true });
    } catch (e) {
      dispatch({ type: 'upsert', task, force: true });
      toast({ text: `Could not ${completing ? 'complete' : 'reopen'} “${task.title}”: ${message(e)}`, kind: 'error' });
    }
  };

  const addQuick = async (text: string) => {
    const t = await quickAdd(text, zone);
    dispatch({ type: 'upsert', task: t });
    toast({ text: `Added “${t.title}”` }, 3000);
    refreshTags();
  };

  const save = async (input: TaskInput, version?: number) => {
    const t =
      editing === 'new' || editing === null
        ? await createTask(input)
        : await updateTask(editing.id, input, version);
    dispatch({ type: 'upsert', task: t, force: true });
    setSelectedId(t.id);
    refreshTags();
  };

  const openTask = async (id: number) => {
    setNotifOpen(false);
    try {
      setEditing(await getTask(id));
    } catch (e) {
      toast({ text: e instanceof ApiError && e.status === 404 ? 'That task was deleted.' : message(e), kind: 'error' });
    }
  };

  const readNotification = (n: AppNotification) => {
    setNotifications((ns) => ns.map((x) => (x.id === n.id ? { ...x, read_at: new Date().toISOString() } : x)));
    markNotificationRead(n.id).catch(() => refreshNotifications());
  };

  const selected = tasks.find((t) => t.id === selectedId) ?? null;
  const move = (delta: number) => {
    if (!tasks.length) return;
    const i = tasks.findIndex((t) => t.id === selectedId);
    const next = i === -1 ? (delta > 0 ? 0 : tasks.length - 1) : Math.min(tasks.length - 1, Math.max(0, i + delta));
    setSelectedId(tasks[next]?.id ?? null);
  };
  useEffect(() => {
    if (selectedId === null) return;
    const el = document.querySelector(`[data-task-id="${selectedId}"]`);
    if (el && 'scrollIntoView' in el && typeof el.scrollIntoView === 'function') el.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  const dialogOpen = editing !== null || historyOf !== null || notifOpen || helpOpen;
  useShortcuts(
    {
      n: () => quickRef.current?.focus(),
      '/': () => searchRef.current?.focus(),
      j: () => move(1),
      k: () => move(-1),
      x: () => selected && void toggle(selected),
      e: () => selected && setEditing(selected),
      h: () => selected && setHistoryOf(selected),
      Delete: () => selected && remove(selected),
      '?': () => setHelpOpen(true),
    },
    !dialogOpen,
  );

  const unread = notifications.filter((n) => !n.read_at).length;
  const filtered = JSON.stringify({ ...view, sort: '', order: '' }) !== JSON.stringify({ ...DEFAULT_VIEW, sort: '', order: '' });

  return (
    <div className="app">
      <a href="#main" className="skip">
        Skip to tasks
      </a>
      <header className="topbar">
        <p className="brand">
          <span className="brand-mark" aria-hidden="true">✓</span> Tickler
        </p>
        <span className={`live live-${live}`} role="status" title="Live updates">
          <span className="visually-hidden">Live updates: </span>
          {live === 'open' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </span>
        <nav className="topbar-actions" aria-label="Account">
          <button type="button" className="bell-button" onClick={() => setNotifOpen(true)} aria-label={`Notifications, ${unread} unread`}>
            <BellIcon />
            {unread > 0 && <span className="badge" aria-hidden="true">{unread}</span>}
          </button>
          <button type="button" className="ghost" onClick={() => setHelpOpen(true)} aria-label="Keyboard shortcuts">
            ?
          </button>
          <span className="who" title={user.email}>
            {user.name || user.email}
          </span>
          <button
            type="button"
            className="ghost"
            onClick={() => {
              flushDeletes();
              onLogout();
            }}
          >
            Log out
          </button>
        </nav>
      </header>
      {!online && (
        <p className="banner offline" role="alert">
          You are offline. Changes cannot be saved until the connection is back.
        </p>
      )}
      {online && live === 'offline' && (
        <p className="banner" role="status">
          Live updates paused — reconnecting…
        </p>
      )}
      <main id="main" tabIndex={-1}>
        <QuickAdd ref={quickRef} zone={zone} onAdd={addQuick} />
        <div className="list-head">
          <Filters ref={searchRef} view={view} tags={tags} onChange={setView} />
          <button type="button" className="ghost new-task" onClick={() => setEditing('new')}>
            + New task
          </button>
        </div>
        <TaskList
          tasks={tasks}
          zone={zone}
          selectedId={selectedId}
          loading={list.loading}
          error={list.error}
          hasMore={list.cursor !== null}
          filtered={filtered}
          onMore={() => list.query && list.cursor && void load(list.query, list.cursor)}
          onRetry={() => setReloads((r) => r + 1)}
          onSelect={(t) => setSelectedId(t.id)}
          onToggle={(t) => void toggle(t)}
          onEdit={(t) => {
            setSelectedId(t.id);
            setEditing(t);
          }}
          onHistory={(t) => setHistoryOf(t)}
          onDelete={remove}
        />
      </main>
      {editing !== null && (
        <TaskEditor
          task={editing === 'new' ? null : editing}
          zone={zone}
          knownTags={tags}
          onSave={save}
          onClose={() => setEditing(null)}
        />
      )}
      {historyOf && <HistoryPanel task={historyOf} userId={user.id} onClose={() => setHistoryOf(null)} />}
      {notifOpen && (
        <NotificationCenter
          items={notifications}
          permission={browser.permission}
          onEnableBrowser={() => void browser.request()}
          onRead={readNotification}
          onReadAll={() => notifications.filter((n) => !n.read_at).forEach(readNotification)}
          onOpenTask={(id) => void openTask(id)}
          onClose={() => setNotifOpen(false)}
        />
      )}
      {helpOpen && <HelpDialog onClose={() => setHelpOpen(false)} />}
      <Toasts toasts={toasts} dismiss={dismiss} />
    </div>
  );
}
