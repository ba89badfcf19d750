// The link that opens a task in the web UI: <public-url>/?task=<id> (in reminder mails, push and
// ntfy messages), and the message the service worker sends an open tab when a notification is
// clicked ({type: "open-task", task_id}).

// The task id of a URL's ?task=, or null when there is none or it is not a positive integer.
export function taskIdOf(search: string): number | null {
  const raw = new URLSearchParams(search).get('task');
  if (raw === null || !/^[1-9][0-9]{0,15}$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

// Reads ?task= from the address and removes it (a reload does not open the task again).
export function takeTaskParam(): number | null {
  const id = taskIdOf(window.location.search);
  const params = new URLSearchParams(window.location.search);
  if (!params.has('task')) return id;
  params.delete('task');
  const rest = params.toString();
  window.history.replaceState(window.history.state, '', window.location.pathname + (rest ? '?' + rest : '') + window.location.hash);
  return id;
}

// Calls `open` for every "open-task" message of the service worker; returns the unsubscribe.
export function onOpenTaskMessage(open: (taskId: number) => void): () => void {
  const sw = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined;
  if (!sw) return () => undefined;
  const listener = (e: MessageEvent) => {
    const d = e.data as { type?: unknown; task_id?: unknown } | null;
    if (d && d.type === 'open-task' && typeof d.task_id === 'number') open(d.task_id);
  };
  sw.addEventListener('message', listener);
  return () => sw.removeEventListener('message', listener);
}
