// The signed-in app: quick add, search and filters, the live task list, the editor, history,
// notifications, the assistant's chat panel, toasts and the keyboard shortcuts. Holds the list
// state and takes the live updates into it; the components below it only show and report.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { ApiError, NetworkError } from '../api/client';
import {
  completeTask,
  createTask,
  getTask,
  listNotifications,
  listTags,
  listTasks,
  markNotificationRead,
  quickAdd,
  reopenTask,
  updateTask,
} from '../api/endpoints';
import { deletePushSubscription, listPushSubscriptions, snoozeTask } from '../api/channels';
import type { AppNotification, LiveMessage, TagCount, Task, TaskInput, TaskQuery, User } from '../api/types';
import { formatDue, userTimeZone } from '../lib/dates';
import { fromLive } from '../lib/live';
import type { SnoozeChoice } from '../lib/snooze';
import { onOpenTaskMessage, takeTaskParam } from '../lib/openLink';
import { existingSubscription, forgetThisBrowser } from '../lib/push';
import { DEFAULT_VIEW, viewToQuery, type View } from '../lib/taskFilters';
import { initialList, listReducer, visibleItems } from '../state/taskList';
import { useBrowserNotifications } from '../hooks/useBrowserNotifications';
import { useDebounced } from '../hooks/useDebounced';
import { useLiveUpdates } from '../hooks/useLiveUpdates';
import { useShortcuts } from '../hooks/useShortcuts';
import { useToasts } from '../hooks/useToasts';
import { useUndoableDelete } from '../hooks/useUndoableDelete';
import { ChatLoader } from './ChatLoader';
import { Filters } from './Filters';
import { HelpDialog } from './HelpDialog';
import { HistoryPanel } from './HistoryPanel';
import { NotificationCenter } from './NotificationCenter';
import { QuickAdd } from './QuickAdd';
import { SettingsLoader } from './SettingsLoader';
import { TaskEditor } from './TaskEditor';
import { TaskList } from './TaskList';
import { Toasts } from './Toasts';
import { TopBar } from './TopBar';

const PAGE = 50;
const SETTINGS_PATH = '/settings';

type Page = 'tasks' | 'settings';

function pageOfLocation(): Page {
  return window.location.pathname === SETTINGS_PATH ? 'settings' : 'tasks';
}

function message(e: unknown): string {
  if (e instanceof ApiError || e instanceof NetworkError) return e.message;
  return e instanceof Error ? e.message : 'Something went wrong.';
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
  const [chatOpen, setChatOpen] = useState(false);
  const [notifications, setNotifications] = useState<AppNotification[]>([]);
  const [reloads, setReloads] = useState(0);
  const [page, setPage] = useState<Page>(pageOfLocation);
  const { toasts, show: toast, dismiss } = useToasts();
  const browser = useBrowserNotifications();
  const quickRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

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

  // Live messages come in bursts (another tab's bulk edit, a busy server): one tag refresh for
  // a burst, a moment after its first message.
  const tagsTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refreshTagsSoon = useCallback(() => {
    if (tagsTimer.current) return;
    tagsTimer.current = setTimeout(() => {
      tagsTimer.current = null;
      refreshTags();
    }, 500);
  }, [refreshTags]);
  useEffect(() => () => clearTimeout(tagsTimer.current ?? undefined), []);

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

  // Live updates: changes from other tabs, devices and the server (next occurrences, reminders).
  const { live, online } = useLiveUpdates(
    (m: LiveMessage) => {
      if (m.type === 'task') {
        if (m.op === 'deleted') dispatch({ type: 'remove', id: m.task.id });
        else dispatch({ type: 'upsert', task: m.task });
        // Tag counts change when a task with tags comes or goes, or when tags are edited.
        const tagsMayChange = m.op === 'created' ? m.task.tags.length > 0 : m.op !== 'completed' && m.op !== 'reopened';
        if (tagsMayChange) refreshTagsSoon();
      } else if (m.type === 'notification') {
        const n = fromLive(m.notification);
        setNotifications((ns) => (ns.some((x) => x.id === n.id) ? ns : [n, ...ns]));
        toast({ text: `Reminder: ${n.title}`, kind: 'reminder' }, 10000);
        browser.show(n);
      }
    },
    () => {
      setReloads((r) => r + 1);
      refreshNotifications();
    },
  );

  const { remove, flush: flushDeletes } = useUndoableDelete(dispatch, toast);

  // The settings page has its own address (/settings), so Back and a reload keep it.
  useEffect(() => {
    const onPop = () => setPage(pageOfLocation());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = (next: Page) => {
    if (next === page) return;
    window.history.pushState(null, '', next === 'settings' ? SETTINGS_PATH : '/');
    setPage(next);
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
      if (completing) {
        dispatch({ type: 'upsert', task: await completeTask(task.id), force: true });
        return;
      }
      const { retracted_occurrence_id: retracted, kept_occurrence_id: kept, kept_occurrence_reason: reason, ...t } =
        await reopenTask(task.id);
      dispatch({ type: 'upsert', task: t, force: true });
      // Reopening takes back the untouched next occurrence its completion made; say what happened.
      if (retracted) {
        dispatch({ type: 'remove', id: retracted });
        toast({ text: `Reopened “${task.title}”; its next occurrence, made when it was completed, was removed.` }, 5000);
      } else if (kept) {
        const why = reason === 'completed' ? 'is already completed' : 'was changed since it was made';
        toast({ text: `Reopened “${task.title}”. Its next occurrence ${why}, so it was kept: you now have both.` }, 8000);
      }
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

  // The "Open" link of a reminder (mail, push, ntfy) is /?task=<id>: open that task, wherever
  // it is (another page of the list, filtered out), and select it. The service worker asks an
  // open tab to do the same for a clicked notification.
  useEffect(() => {
    const id = takeTaskParam();
    if (id !== null) {
      setSelectedId(id);
      void openTask(id);
    }
    return onOpenTaskMessage((taskId) => {
      if (window.location.pathname === SETTINGS_PATH) window.history.pushState(null, '', '/');
      setPage('tasks');
      setSelectedId(taskId);
      void openTask(taskId);
    });
  }, []);

  const snooze = async (task: Task, choice: SnoozeChoice) => {
    try {
      dispatch({ type: 'upsert', task: await snoozeTask(task.id, choice.until), force: true });
      toast({ text: `Snoozed “${task.title}” until ${formatDue(choice.until, task.time_zone || zone)}.` }, 5000);
    } catch (e) {
      toast({ text: `Could not snooze “${task.title}”: ${message(e)}`, kind: 'error' });
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
    !dialogOpen && page === 'tasks',
  );
  // The assistant is there on every page.
  useShortcuts({ c: () => setChatOpen(true) }, !dialogOpen);

  const unread = notifications.filter((n) => !n.read_at).length;
  const filtered = JSON.stringify({ ...view, sort: '', order: '' }) !== JSON.stringify({ ...DEFAULT_VIEW, sort: '', order: '' });

  return (
    <div className={chatOpen ? 'app chat-open' : 'app'}>
      <a href="#main" className="skip">
        Skip to tasks
      </a>
      <TopBar
        user={user}
        live={live}
        unread={unread}
        onNotifications={() => {
          // Fresh receipts: a notice pushed live has none until the list is read again.
          refreshNotifications();
          setNotifOpen(true);
        }}
        onHelp={() => setHelpOpen(true)}
        chatOpen={chatOpen}
        onChat={() => setChatOpen((o) => !o)}
        onSettings={() => go('settings')}
        onLogout={() => {
          flushDeletes();
          void forgetThisBrowser(existingSubscription, { list: listPushSubscriptions, remove: deletePushSubscription }).finally(onLogout);
        }}
      />
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
        {page === 'settings' ? (
          <SettingsLoader onBack={() => go('tasks')} />
        ) : (
          <>
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
              onSnooze={(t, c) => void snooze(t, c)}
            />
          </>
        )}
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
      <ChatLoader
        open={chatOpen}
        userId={user.id}
        zone={zone}
        onClose={() => setChatOpen(false)}
        onOpenTask={(id) => void openTask(id)}
      />
      <Toasts toasts={toasts} dismiss={dismiss} />
    </div>
  );
}
