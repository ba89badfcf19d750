// What the service worker does, as plain functions over the few browser objects it needs (so
// Vitest runs them without a worker): a push message → the notification to show; a click on
// one of its actions → POST the action's signed link and show the outcome; a click on its body
// → focus a Tickler tab and open the task there, or open a new window on the task.
// The payload is the shared contract of docs/notifications.md: {type, title, body, task_id,
// remind_at, due_at, priority, url, actions: [{action, title, url}]}.

export interface PushAction {
  action: string;
  title: string;
  url: string;
}

export interface PushPayload {
  type: string;
  title: string;
  body: string;
  task_id: number | null;
  url: string;
  actions: PushAction[];
}

// What showNotification takes (the part of NotificationOptions used here).
export interface ShownNotification {
  title: string;
  options: {
    body: string;
    tag: string;
    icon: string;
    badge: string;
    renotify?: boolean;
    actions: { action: string; title: string }[];
    data: NotificationData;
  };
}

export interface NotificationData {
  url: string;
  task_id: number | null;
  title: string;
  actions: Record<string, string>; // action → its signed link
}

export interface ClientLike {
  url: string;
  focus?: () => Promise<unknown>;
  postMessage: (message: unknown) => void;
}

export interface WorkerDeps {
  origin: string;
  fetch: (url: string, init: { method: string; credentials: 'omit' }) => Promise<{ ok: boolean; status: number }>;
  showNotification: (title: string, options: ShownNotification['options']) => Promise<void>;
  windows: () => Promise<ClientLike[]>;
  openWindow: (url: string) => Promise<unknown>;
}

const ICON = '/icons/icon-192.png';
const BADGE = '/icons/badge-96.png';

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

// The payload of a push message's text (JSON); a message that is not the contract's JSON still
// shows something rather than nothing (a push must be shown: the browser would show its own).
export function parsePayload(text: string | null | undefined, origin: string): PushPayload {
  let raw: Record<string, unknown> = {};
  try {
    const v: unknown = text ? JSON.parse(text) : {};
    if (v && typeof v === 'object' && !Array.isArray(v)) raw = v as Record<string, unknown>;
  } catch {
    raw = { body: text ?? '' };
  }
  const taskId = typeof raw['task_id'] === 'number' && Number.isSafeInteger(raw['task_id']) ? raw['task_id'] : null;
  const actions = Array.isArray(raw['actions'])
    ? (raw['actions'] as unknown[]).flatMap((a) => {
        const o = (a ?? {}) as Record<string, unknown>;
        const action = str(o['action']);
        const url = str(o['url']);
        return action && url ? [{ action, title: str(o['title'], action), url }] : [];
      })
    : [];
  return {
    type: str(raw['type'], 'reminder'),
    title: str(raw['title']) || 'Tickler',
    body: str(raw['body']),
    task_id: taskId,
    url: sameOriginOr(str(raw['url']), taskId === null ? origin + '/' : `${origin}/?task=${taskId}`, origin),
    actions,
  };
}

// Only a page of this origin is opened from a notification.
function sameOriginOr(url: string, fallback: string, origin: string): string {
  try {
    return new URL(url).origin === origin ? url : fallback;
  } catch {
    return fallback;
  }
}

export function notificationOf(p: PushPayload): ShownNotification {
  const tag = p.type === 'reminder' && p.task_id !== null ? `task-${p.task_id}` : `tickler-${p.type}`;
  return {
    title: p.title,
    options: {
      body: p.body,
      tag,
      renotify: true,
      icon: ICON,
      badge: BADGE,
      actions: p.actions.map(({ action, title }) => ({ action, title })),
      data: {
        url: p.url,
        task_id: p.task_id,
        title: p.title,
        actions: Object.fromEntries(p.actions.map((a) => [a.action, a.url])),
      },
    },
  };
}

// The notification that says what an action did.
export function outcomeNotification(data: NotificationData, action: string, status: number | 'network'): ShownNotification {
  const verb = action === 'done' ? 'Marked as done' : action.startsWith('snooze') ? snoozeWords(action) : 'Done';
  let title: string;
  let body: string;
  if (status === 'network') {
    title = `Could not reach Tickler: ${data.title}`;
    body = 'Nothing was changed. Open the task to try again.';
  } else if (status >= 200 && status < 300) {
    title = `${verb}: ${data.title}`;
    body = '';
  } else if (status === 409) {
    title = `Already used: ${data.title}`;
    body = 'This button was used before, so nothing was changed again. Open the task to see it.';
  } else if (status === 403) {
    title = `This button has expired: ${data.title}`;
    body = 'Nothing was changed. Open the task to act on it.';
  } else {
    title = `Could not do this: ${data.title}`;
    body = `Tickler answered ${status}; nothing was changed. Open the task to try again.`;
  }
  return {
    title,
    options: {
      body,
      tag: data.task_id !== null ? `task-${data.task_id}` : 'tickler-outcome',
      icon: ICON,
      badge: BADGE,
      actions: [],
      data: { ...data, actions: {} },
    },
  };
}

function snoozeWords(action: string): string {
  if (action === 'snooze-10m') return 'Snoozed for 10 minutes';
  if (action === 'snooze-1h') return 'Snoozed for 1 hour';
  if (action === 'snooze-tomorrow') return 'Snoozed until tomorrow 9:00';
  return 'Snoozed';
}

// A click on an action button: POST its signed link (one use; the link is the credential, so
// no cookie or token goes with it), then show what happened in place of the reminder.
export async function onAction(data: NotificationData, action: string, deps: WorkerDeps): Promise<void> {
  const url = data.actions[action];
  if (!url) return onOpen(data, deps);
  let status: number | 'network';
  try {
    status = (await deps.fetch(url, { method: 'POST', credentials: 'omit' })).status;
  } catch {
    status = 'network';
  }
  const shown = outcomeNotification(data, action, status);
  await deps.showNotification(shown.title, shown.options);
}

// A click on the notification itself: a Tickler tab, if one is open, is focused and asked to
// open the task (it keeps its state); otherwise a new window opens on the task's address.
export async function onOpen(data: NotificationData, deps: WorkerDeps): Promise<void> {
  const tabs = (await deps.windows()).filter((c) => c.url.startsWith(deps.origin + '/'));
  const tab = tabs[0];
  if (tab && data.task_id !== null) {
    await tab.focus?.();
    tab.postMessage({ type: 'open-task', task_id: data.task_id });
    return;
  }
  if (tab) {
    await tab.focus?.();
    return;
  }
  await deps.openWindow(data.url);
}
