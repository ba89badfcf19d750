// One function per API route the UI uses.
import { api } from './client';
import type {
  ApiToken,
  AppNotification,
  Conversation,
  ConversationSummary,
  DeliveryReceipt,
  HistoryEntry,
  NewApiToken,
  QuickPreview,
  ReopenedTask,
  TagCount,
  Task,
  TaskInput,
  TaskPage,
  TaskQuery,
  TokenScope,
  User,
} from './types';

export interface Session {
  token: string;
  user: User;
}

// invite: the one-time code a server started with --signup invite asks for.
export function signup(email: string, password: string, name: string, invite = ''): Promise<Session> {
  const body: Record<string, string> = { email, password };
  if (name.trim()) body['name'] = name.trim();
  if (invite.trim()) body['invite_code'] = invite.trim();
  return api.request('/api/auth/signup', { method: 'POST', body, auth: false });
}

export function login(email: string, password: string): Promise<Session> {
  return api.request('/api/auth/login', { method: 'POST', body: { email, password }, auth: false });
}

export function me(): Promise<User> {
  return api.request('/api/me');
}

// The query string of GET /api/tasks (lists as repeated comma-joined values).
export function taskQueryString(q: TaskQuery): string {
  const p = new URLSearchParams();
  if (q.q?.trim()) p.set('q', q.q.trim());
  if (q.status) p.set('status', q.status);
  if (q.priority?.length) p.set('priority', q.priority.join(','));
  if (q.tag?.length) p.set('tag', q.tag.join(','));
  if (q.due_after) p.set('due_after', q.due_after);
  if (q.due_before) p.set('due_before', q.due_before);
  if (q.has_due !== undefined) p.set('has_due', String(q.has_due));
  if (q.sort) p.set('sort', q.sort);
  if (q.order) p.set('order', q.order);
  if (q.limit) p.set('limit', String(q.limit));
  if (q.cursor) p.set('cursor', q.cursor);
  const s = p.toString();
  return s ? '?' + s : '';
}

export function listTasks(q: TaskQuery, signal?: AbortSignal): Promise<TaskPage> {
  return api.request('/api/tasks' + taskQueryString(q), { signal });
}

export function getTask(id: number): Promise<Task> {
  return api.request(`/api/tasks/${id}`);
}

export function createTask(input: TaskInput): Promise<Task> {
  return api.request('/api/tasks', { method: 'POST', body: input });
}

export function quickAdd(quick: string, timeZone: string): Promise<Task> {
  return api.request('/api/tasks', { method: 'POST', body: { quick, time_zone: timeZone } });
}

export function parseQuick(
  quick: string,
  timeZone: string,
  signal?: AbortSignal,
): Promise<QuickPreview> {
  return api.request('/api/tasks/parse', {
    method: 'POST',
    body: { quick, time_zone: timeZone },
    signal,
  });
}

// PATCH with If-Match: a 412 means someone else changed the task meanwhile.
export function updateTask(id: number, input: TaskInput, version?: number): Promise<Task> {
  const headers: Record<string, string> = version ? { 'If-Match': `"${version}"` } : {};
  return api.request(`/api/tasks/${id}`, { method: 'PATCH', body: input, headers });
}

export function deleteTask(id: number, keepalive = false): Promise<void> {
  return api.request(`/api/tasks/${id}`, { method: 'DELETE', keepalive });
}

export function completeTask(id: number): Promise<Task> {
  return api.request(`/api/tasks/${id}/complete`, { method: 'POST' });
}

export function reopenTask(id: number): Promise<ReopenedTask> {
  return api.request(`/api/tasks/${id}/reopen`, { method: 'POST' });
}

export async function taskHistory(id: number): Promise<HistoryEntry[]> {
  const page = await api.request<{ items: HistoryEntry[] }>(`/api/tasks/${id}/history`);
  return page.items;
}

// Receipts: every reminder × channel of the task (docs/notifications.md), oldest first.
export async function taskDeliveries(id: number): Promise<DeliveryReceipt[]> {
  const page = await api.request<{ items: DeliveryReceipt[] }>(`/api/tasks/${id}/deliveries`);
  return page.items;
}

export async function listTags(): Promise<TagCount[]> {
  const page = await api.request<{ items: TagCount[] }>('/api/tags');
  return page.items;
}

export async function listNotifications(limit = 50): Promise<AppNotification[]> {
  const page = await api.request<{ items: AppNotification[] }>(`/api/notifications?limit=${limit}`);
  return page.items;
}

export function markNotificationRead(id: number): Promise<unknown> {
  return api.request(`/api/notifications/${id}/read`, { method: 'POST' });
}

export async function listApiTokens(): Promise<ApiToken[]> {
  const page = await api.request<{ items: ApiToken[] }>('/api/tokens');
  return page.items;
}

// expiresInDays null: the token never expires.
export function createApiToken(name: string, scopes: TokenScope[], expiresInDays: number | null): Promise<NewApiToken> {
  const body: Record<string, unknown> = { name, scopes };
  if (expiresInDays !== null) body['expires_in_days'] = expiresInDays;
  return api.request('/api/tokens', { method: 'POST', body });
}

export function deleteApiToken(id: number): Promise<void> {
  return api.request(`/api/tokens/${id}`, { method: 'DELETE' });
}

// The assistant's conversations (POST /api/chat is streamed: api/chat.ts).
export async function listConversations(): Promise<ConversationSummary[]> {
  const page = await api.request<{ items: ConversationSummary[] }>('/api/conversations');
  return page.items;
}

export function getConversation(id: string): Promise<Conversation> {
  return api.request(`/api/conversations/${encodeURIComponent(id)}`);
}

export function deleteConversation(id: string): Promise<void> {
  return api.request(`/api/conversations/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
