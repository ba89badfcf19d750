// The notification channels' routes (docs/api.md, docs/notifications.md): webhooks, email, Web
// Push subscriptions, ntfy, the per-user preferences, "send a test", a task's override, snooze.
import { api, ApiError } from './client';
import type { Task } from './types';

export type WebhookEvent = 'reminder.fired' | 'task.created' | 'task.updated' | 'task.completed' | 'task.deleted';
export const WEBHOOK_EVENTS: WebhookEvent[] = [
  'reminder.fired',
  'task.created',
  'task.updated',
  'task.completed',
  'task.deleted',
];

export interface Webhook {
  id: number;
  url: string;
  events: WebhookEvent[];
  created_at: string;
}

// POST answers with the signing secret once (generated when none was given).
export interface NewWebhook extends Webhook {
  secret: string;
}

export interface EmailChannel {
  channel: 'email';
  address: string;
  state: 'unconfirmed' | 'confirmed';
  created_at: string;
  confirmed_at: string | null;
  confirmation_sent?: boolean;
}

export interface PushSubscriptionRecord {
  id: number;
  endpoint: string;
  user_agent: string | null;
  created_at: string;
}

export interface NtfyChannel {
  channel: 'ntfy';
  server: string;
  topic: string;
  has_token: boolean;
  created_at: string;
}

export type ChannelKind = 'email' | 'webhook' | 'push' | 'ntfy';
export const CHANNEL_KINDS: ChannelKind[] = ['email', 'webhook', 'push', 'ntfy'];
export type PriorityName = 'high' | 'medium' | 'low' | 'none';

export interface NotificationSettings {
  time_zone: string;
  quiet_hours: { start: string; end: string } | null;
  channels_by_priority: Record<PriorityName, ChannelKind[]>;
  digest: { time: string; channels: ChannelKind[] } | null;
}

export interface ChannelTestResult {
  channel: string;
  outcome: 'delivered' | 'sent' | 'failed';
  error?: string;
}

// channels null (or absent): the channels the user's settings give the task's priority.
export interface NotificationOverride {
  channels?: ChannelKind[] | null;
  quiet_hours: 'respect' | 'ignore';
}

export async function listWebhooks(): Promise<Webhook[]> {
  return (await api.request<{ items: Webhook[] }>('/api/me/channels/webhooks')).items;
}

export function createWebhook(url: string, events: WebhookEvent[], secret?: string): Promise<NewWebhook> {
  const body: Record<string, unknown> = { url, events };
  if (secret) body['secret'] = secret;
  return api.request('/api/me/channels/webhooks', { method: 'POST', body });
}

export function updateWebhook(id: number, patch: { url?: string; events?: WebhookEvent[] }): Promise<Webhook> {
  return api.request(`/api/me/channels/webhooks/${id}`, { method: 'PATCH', body: patch });
}

export function deleteWebhook(id: number): Promise<void> {
  return api.request(`/api/me/channels/webhooks/${id}`, { method: 'DELETE' });
}

// null: no address set.
export async function getEmail(): Promise<EmailChannel | null> {
  return orNullOn404(api.request<EmailChannel>('/api/me/channels/email'));
}

export function setEmail(address: string): Promise<EmailChannel> {
  return api.request('/api/me/channels/email', { method: 'PUT', body: { address } });
}

export function deleteEmail(): Promise<void> {
  return api.request('/api/me/channels/email', { method: 'DELETE' });
}

export async function pushVapidKey(): Promise<string> {
  return (await api.request<{ public_key: string }>('/api/me/channels/push/vapid-key')).public_key;
}

export async function listPushSubscriptions(): Promise<PushSubscriptionRecord[]> {
  return (await api.request<{ items: PushSubscriptionRecord[] }>('/api/me/channels/push')).items;
}

export function addPushSubscription(sub: {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  user_agent?: string;
}): Promise<PushSubscriptionRecord> {
  return api.request('/api/me/channels/push', { method: 'POST', body: sub });
}

export function deletePushSubscription(id: number): Promise<void> {
  return api.request(`/api/me/channels/push/${id}`, { method: 'DELETE' });
}

export async function getNtfy(): Promise<NtfyChannel | null> {
  return orNullOn404(api.request<NtfyChannel>('/api/me/channels/ntfy'));
}

export function setNtfy(server: string, topic: string, token?: string): Promise<NtfyChannel> {
  const body: Record<string, string> = { server, topic };
  if (token) body['token'] = token;
  return api.request('/api/me/channels/ntfy', { method: 'PUT', body });
}

export function deleteNtfy(): Promise<void> {
  return api.request('/api/me/channels/ntfy', { method: 'DELETE' });
}

export function getNotificationSettings(): Promise<NotificationSettings> {
  return api.request('/api/me/notification-settings');
}

export function putNotificationSettings(s: NotificationSettings): Promise<NotificationSettings> {
  return api.request('/api/me/notification-settings', { method: 'PUT', body: s });
}

// channel: "email", "ntfy", "webhook:<id>" or "push:<id>".
export function testChannel(channel: string): Promise<ChannelTestResult> {
  return api.request('/api/me/channels/test', { method: 'POST', body: { channel } });
}

// null: the task follows the user's settings.
export async function getOverride(taskId: number): Promise<NotificationOverride | null> {
  return orNullOn404(api.request<NotificationOverride>(`/api/tasks/${taskId}/notification-override`));
}

export function putOverride(taskId: number, o: NotificationOverride): Promise<NotificationOverride> {
  return api.request(`/api/tasks/${taskId}/notification-override`, { method: 'PUT', body: o });
}

export function deleteOverride(taskId: number): Promise<void> {
  return api.request(`/api/tasks/${taskId}/notification-override`, { method: 'DELETE' });
}

export function snoozeTask(id: number, until: string): Promise<Task> {
  return api.request(`/api/tasks/${id}/snooze`, { method: 'POST', body: { until } });
}

// A 404 of a route this server does not have (an older server, or a part not built yet), as
// opposed to a 404 of a record that is not there.
export function isMissingRoute(e: unknown): boolean {
  return e instanceof ApiError && e.status === 404 && e.code === 'not_found' && e.message === 'no such route';
}

// null for a record that is not there; a missing route stays an error.
async function orNullOn404<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && !isMissingRoute(e)) return null;
    throw e;
  }
}
