import { describe, expect, it, vi } from 'vitest';
import { notificationOf, onAction, onOpen, outcomeNotification, parsePayload, type WorkerDeps } from './logic';

const ORIGIN = 'https://tickler.example';

const REMINDER = JSON.stringify({
  type: 'reminder',
  title: 'Pay rent',
  body: 'Due today 18:00',
  task_id: 42,
  remind_at: '2026-12-06T17:00:00Z',
  due_at: '2026-12-06T18:00:00Z',
  priority: 'high',
  url: `${ORIGIN}/?task=42`,
  actions: [
    { action: 'done', title: 'Done', url: `${ORIGIN}/links/task/AAA` },
    { action: 'snooze-10m', title: 'Snooze 10 min', url: `${ORIGIN}/links/task/BBB` },
  ],
});

function fakeDeps(over: Partial<WorkerDeps> = {}) {
  const shown: { title: string; options: unknown }[] = [];
  const deps: WorkerDeps = {
    origin: ORIGIN,
    fetch: vi.fn(async () => ({ ok: true, status: 200 })),
    showNotification: vi.fn(async (title, options) => {
      shown.push({ title, options });
    }),
    windows: vi.fn(async () => []),
    openWindow: vi.fn(async () => undefined),
    ...over,
  };
  return { deps, shown };
}

describe('a push message', () => {
  it('becomes a notification with the actions of the payload and the task url', () => {
    const n = notificationOf(parsePayload(REMINDER, ORIGIN));
    expect(n.title).toBe('Pay rent');
    expect(n.options.body).toBe('Due today 18:00');
    expect(n.options.tag).toBe('task-42');
    expect(n.options.actions).toEqual([
      { action: 'done', title: 'Done' },
      { action: 'snooze-10m', title: 'Snooze 10 min' },
    ]);
    expect(n.options.data).toEqual({
      url: `${ORIGIN}/?task=42`,
      task_id: 42,
      title: 'Pay rent',
      actions: { done: `${ORIGIN}/links/task/AAA`, 'snooze-10m': `${ORIGIN}/links/task/BBB` },
    });
  });

  it('still shows something for a payload that is not the contract', () => {
    expect(notificationOf(parsePayload('hello', ORIGIN)).title).toBe('Tickler');
    expect(notificationOf(parsePayload('hello', ORIGIN)).options.body).toBe('hello');
    const empty = notificationOf(parsePayload(null, ORIGIN));
    expect(empty.title).toBe('Tickler');
    expect(empty.options.data.url).toBe(`${ORIGIN}/`);
    // An action without a url is dropped; a test message has its own tag.
    const t = parsePayload(JSON.stringify({ type: 'test', title: 'Test', actions: [{ action: 'done' }] }), ORIGIN);
    expect(t.actions).toEqual([]);
    expect(notificationOf(t).options.tag).toBe('tickler-test');
  });

  it('never opens a page of another origin', () => {
    const p = parsePayload(JSON.stringify({ title: 'x', task_id: 7, url: 'https://evil.example/?task=7' }), ORIGIN);
    expect(p.url).toBe(`${ORIGIN}/?task=7`);
  });
});

describe('a click on an action', () => {
  const data = notificationOf(parsePayload(REMINDER, ORIGIN)).options.data;

  it('POSTs the action url without credentials and shows the outcome', async () => {
    const { deps, shown } = fakeDeps();
    await onAction(data, 'done', deps);
    expect(deps.fetch).toHaveBeenCalledWith(`${ORIGIN}/links/task/AAA`, { method: 'POST', credentials: 'omit' });
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toBe('Marked as done: Pay rent');
    expect(shown[0]!.options).toMatchObject({ tag: 'task-42', actions: [] });
  });

  it('says a used link was used, and a network failure changed nothing', async () => {
    const used = fakeDeps({ fetch: vi.fn(async () => ({ ok: false, status: 409 })) });
    await onAction(data, 'snooze-10m', used.deps);
    expect(used.shown[0]!.title).toBe('Already used: Pay rent');
    const offline = fakeDeps({ fetch: vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))) });
    await onAction(data, 'snooze-10m', offline.deps);
    expect(offline.shown[0]!.title).toBe('Could not reach Tickler: Pay rent');
    expect(outcomeNotification(data, 'snooze-10m', 200).title).toBe('Snoozed for 10 minutes: Pay rent');
    expect(outcomeNotification(data, 'snooze-1h', 204).title).toBe('Snoozed for 1 hour: Pay rent');
    expect(outcomeNotification(data, 'done', 403).title).toBe('This button has expired: Pay rent');
    expect(outcomeNotification(data, 'done', 500).options.body).toMatch(/answered 500; nothing was changed/);
  });

  it('opens the task for an action it has no link for', async () => {
    const { deps } = fakeDeps();
    await onAction(data, 'unknown', deps);
    expect(deps.fetch).not.toHaveBeenCalled();
    expect(deps.openWindow).toHaveBeenCalledWith(`${ORIGIN}/?task=42`);
  });
});

describe('a click on the notification', () => {
  const data = notificationOf(parsePayload(REMINDER, ORIGIN)).options.data;

  it('focuses an open Tickler tab and asks it to open the task', async () => {
    const tab = { url: `${ORIGIN}/settings`, focus: vi.fn(async () => undefined), postMessage: vi.fn() };
    const other = { url: 'https://other.example/', focus: vi.fn(), postMessage: vi.fn() };
    const { deps } = fakeDeps({ windows: vi.fn(async () => [other, tab]) });
    await onOpen(data, deps);
    expect(tab.focus).toHaveBeenCalled();
    expect(tab.postMessage).toHaveBeenCalledWith({ type: 'open-task', task_id: 42 });
    expect(other.focus).not.toHaveBeenCalled();
    expect(deps.openWindow).not.toHaveBeenCalled();
  });

  it('opens a window on the task when no tab is open', async () => {
    const { deps } = fakeDeps();
    await onOpen(data, deps);
    expect(deps.openWindow).toHaveBeenCalledWith(`${ORIGIN}/?task=42`);
  });
});
