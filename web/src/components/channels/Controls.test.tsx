import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NotificationSettings } from '../../api/channels';
import type { PushEnv } from '../../lib/push';
import { apiErrorBody, fakeApi } from '../../test/fakeApi';
import { NotificationOverride } from '../NotificationOverride';
import { NotificationPrefs } from './NotificationPrefs';
import { PushChannel } from './PushChannel';

afterEach(() => vi.unstubAllGlobals());

const KEY = 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U';
const ENDPOINT = 'https://push.example/send/abc';

function pushEnv(permission: NotificationPermission, answer: NotificationPermission = 'granted'): PushEnv {
  let current: { endpoint: string } | null = null;
  const sub = {
    endpoint: ENDPOINT,
    toJSON: () => ({ endpoint: ENDPOINT, keys: { p256dh: 'P', auth: 'A' } }),
    unsubscribe: vi.fn(async () => {
      current = null;
      return true;
    }),
  };
  return {
    supported: true,
    permission: () => permission,
    requestPermission: vi.fn(async () => answer),
    registration: async () => ({
      pushManager: {
        getSubscription: async () => current as typeof sub | null,
        subscribe: async () => {
          current = sub;
          return sub;
        },
      },
    }),
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
  };
}

describe('Push', () => {
  it('enables push on this browser, lists it as this browser, tests and removes it', async () => {
    const api = fakeApi({
      'GET /api/me/channels/push': [200, { items: [] }],
      'GET /api/me/channels/push/vapid-key': [200, { public_key: KEY }],
      'POST /api/me/channels/push': (b) => [201, { id: 9, endpoint: (b as { endpoint: string }).endpoint, user_agent: 'Chrome on Linux', created_at: '2026-12-06T10:00:00Z' }],
      'POST /api/me/channels/test': [200, { channel: 'push:9', outcome: 'sent' }],
      'DELETE /api/me/channels/push/9': [204],
    });
    render(<PushChannel env={pushEnv('default')} />);
    await screen.findByText('No browser has push enabled yet.');
    fireEvent.click(screen.getByRole('button', { name: 'Enable push on this browser' }));
    const list = await screen.findByRole('list', { name: 'Browsers with push' });
    expect(within(list).getByText('This browser')).toBeTruthy();
    expect(api.sent('POST', '/api/me/channels/push')[0]!.body).toEqual({
      endpoint: ENDPOINT,
      keys: { p256dh: 'P', auth: 'A' },
      user_agent: 'Chrome on Linux',
    });
    expect(screen.getByRole('button', { name: 'Push is on for this browser' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Send a test to Chrome on Linux' }));
    expect(await screen.findByText(/^Test sent/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove push for Chrome on Linux' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove' }));
    expect(await screen.findByText('No browser has push enabled yet.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Enable push on this browser' })).toHaveProperty('disabled', false);
  });

  it('shows a blocked permission with what to do, and sends nothing', async () => {
    const api = fakeApi({ 'GET /api/me/channels/push': [200, { items: [] }] });
    render(<PushChannel env={pushEnv('denied')} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Enable push on this browser' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Notifications are blocked for this site/);
    expect(api.sent('POST', '/api/me/channels/push')).toHaveLength(0);
  });

  it('shows the server refusing the subscription', async () => {
    fakeApi({
      'GET /api/me/channels/push': [200, { items: [] }],
      'GET /api/me/channels/push/vapid-key': [200, { public_key: KEY }],
      'POST /api/me/channels/push': [409, apiErrorBody('too_many_push_subscriptions', 'at most 10 push subscriptions')],
    });
    render(<PushChannel env={pushEnv('granted')} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Enable push on this browser' }));
    expect((await screen.findByRole('alert')).textContent).toBe('at most 10 push subscriptions');
  });

  it('says so when the server has no push', async () => {
    fakeApi({});
    render(<PushChannel env={pushEnv('default')} />);
    expect(await screen.findByText('This server does not offer this yet.')).toBeTruthy();
  });
});

const DEFAULTS: NotificationSettings = {
  time_zone: 'Europe/Berlin',
  quiet_hours: null,
  channels_by_priority: {
    high: ['email', 'webhook', 'push', 'ntfy'],
    medium: ['email', 'webhook', 'push', 'ntfy'],
    low: ['email', 'webhook', 'push', 'ntfy'],
    none: ['email', 'webhook', 'push', 'ntfy'],
  },
  digest: null,
};

describe('Notification preferences', () => {
  it('edits channels by priority, quiet hours and the digest, and saves them', async () => {
    const api = fakeApi({
      'GET /api/me/notification-settings': [200, DEFAULTS],
      'PUT /api/me/notification-settings': (b) => [200, b],
    });
    render(<NotificationPrefs />);
    fireEvent.click(await screen.findByLabelText('Email for low priority'));
    fireEvent.click(screen.getByLabelText('Push for no priority'));
    fireEvent.click(screen.getByLabelText('Hold reminders during quiet hours'));
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '21:30' } });
    fireEvent.click(screen.getByLabelText('Send a daily digest of overdue and today’s tasks'));
    fireEvent.change(screen.getByLabelText('At'), { target: { value: '07:15' } });
    fireEvent.click(screen.getByLabelText('Digest by push'));
    fireEvent.click(screen.getByRole('button', { name: 'Save notification settings' }));
    await screen.findByText('Saved.');
    expect(api.sent('PUT', '/api/me/notification-settings')[0]!.body).toEqual({
      time_zone: 'Europe/Berlin',
      quiet_hours: { start: '21:30', end: '07:00' },
      channels_by_priority: {
        high: ['email', 'webhook', 'push', 'ntfy'],
        medium: ['email', 'webhook', 'push', 'ntfy'],
        low: ['webhook', 'push', 'ntfy'],
        none: ['email', 'webhook', 'ntfy'],
      },
      digest: { time: '07:15', channels: ['email', 'push'] },
    });
  });

  it('blocks a digest without a channel, with the reason', async () => {
    const api = fakeApi({ 'GET /api/me/notification-settings': [200, { ...DEFAULTS, digest: { time: '08:00', channels: ['email'] } }] });
    render(<NotificationPrefs />);
    fireEvent.click(await screen.findByLabelText('Digest by email'));
    fireEvent.click(screen.getByRole('button', { name: 'Save notification settings' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Choose where the daily digest goes/);
    expect(api.sent('PUT', '/api/me/notification-settings')).toHaveLength(0);
  });
});

describe('A task’s notification override', () => {
  it('loads none, sets channels and ignore-quiet-hours, then goes back to the settings', async () => {
    const api = fakeApi({
      'GET /api/tasks/3/notification-override': [404, apiErrorBody('not_found', 'no override')],
      'PUT /api/tasks/3/notification-override': (b) => [200, b],
      'DELETE /api/tasks/3/notification-override': [204],
    });
    render(<NotificationOverride taskId={3} />);
    fireEvent.click(await screen.findByLabelText('Choose for this task'));
    fireEvent.click(screen.getByLabelText('Every channel my settings allow'));
    fireEvent.click(screen.getByLabelText('Push'));
    fireEvent.change(screen.getByLabelText('Quiet hours'), { target: { value: 'ignore' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply notification rule' }));
    expect(await screen.findByText('This task’s notification rule is saved.')).toBeTruthy();
    expect(api.sent('PUT', '/api/tasks/3/notification-override')[0]!.body).toEqual({ channels: ['push'], quiet_hours: 'ignore' });
    fireEvent.click(screen.getByLabelText('Follow my notification settings'));
    fireEvent.click(screen.getByRole('button', { name: 'Apply notification rule' }));
    expect(await screen.findByText('This task follows your settings.')).toBeTruthy();
    expect(api.sent('DELETE', '/api/tasks/3/notification-override')).toHaveLength(1);
  });

  it('shows an existing override, and a server without overrides', async () => {
    fakeApi({ 'GET /api/tasks/5/notification-override': [200, { task_id: 5, channels: null, quiet_hours: 'ignore' }] });
    const { unmount } = render(<NotificationOverride taskId={5} />);
    await waitFor(() => expect((screen.getByLabelText('Choose for this task') as HTMLInputElement).checked).toBe(true));
    expect((screen.getByLabelText('Every channel my settings allow') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Quiet hours') as HTMLSelectElement).value).toBe('ignore');
    unmount();
    vi.unstubAllGlobals();
    fakeApi({});
    render(<NotificationOverride taskId={6} />);
    expect(await screen.findByText('This server does not offer this yet.')).toBeTruthy();
  });
});
