import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiErrorBody, fakeApi } from '../../test/fakeApi';
import { EmailChannel } from './EmailChannel';
import { NtfyChannel } from './NtfyChannel';
import { Webhooks } from './Webhooks';

afterEach(() => vi.unstubAllGlobals());

const HOOK = { id: 4, url: 'https://hooks.example/t', events: ['reminder.fired'], created_at: '2026-12-01T10:00:00Z' };

describe('Webhooks', () => {
  it('lists, adds (secret shown once), edits events and removes webhooks', async () => {
    const api = fakeApi({
      'GET /api/me/channels/webhooks': [200, { items: [HOOK] }],
      'POST /api/me/channels/webhooks': (b) => [201, { id: 5, created_at: '2026-12-06T10:00:00Z', secret: 's'.repeat(32), ...(b as object) }],
      'PATCH /api/me/channels/webhooks/4': (b) => [200, { ...HOOK, ...(b as object) }],
      'DELETE /api/me/channels/webhooks/4': [204],
      'POST /api/me/channels/test': [200, { channel: 'webhook:4', outcome: 'failed', error: 'HTTP 503' }],
    });
    render(<Webhooks />);
    const list = await screen.findByRole('list', { name: 'Webhooks' });
    expect(within(list).getByText('https://hooks.example/t')).toBeTruthy();
    expect(within(list).getByText('A reminder fires')).toBeTruthy();

    // A bad URL is explained before anything is sent.
    fireEvent.change(screen.getByLabelText('Webhook URL'), { target: { value: 'hooks.example' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add webhook' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/starting with https/);
    expect(api.sent('POST', '/api/me/channels/webhooks')).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Webhook URL'), { target: { value: 'https://other.example/in' } });
    fireEvent.click(screen.getByLabelText('A task is completed'));
    fireEvent.click(screen.getByRole('button', { name: 'Add webhook' }));
    expect(((await screen.findByLabelText('The webhook’s signing secret')) as HTMLInputElement).value).toBe('s'.repeat(32));
    expect(api.sent('POST', '/api/me/channels/webhooks')[0]!.body).toEqual({
      url: 'https://other.example/in',
      events: ['reminder.fired', 'task.completed'],
    });
    expect(within(list).getByText('https://other.example/in')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Edit the events of https://hooks.example/t' }));
    const editing = screen.getByRole('group', { name: 'Events sent to https://hooks.example/t' });
    fireEvent.click(within(editing).getByLabelText('A task is deleted'));
    fireEvent.click(screen.getByRole('button', { name: 'Save events' }));
    await waitFor(() => expect(api.sent('PATCH', '/api/me/channels/webhooks/4')).toHaveLength(1));
    expect(api.sent('PATCH', '/api/me/channels/webhooks/4')[0]!.body).toEqual({ events: ['reminder.fired', 'task.deleted'] });

    fireEvent.click(screen.getByRole('button', { name: 'Send a test to https://hooks.example/t' }));
    expect(await screen.findByText('The test failed: HTTP 503.')).toBeTruthy();
    expect(api.sent('POST', '/api/me/channels/test')[0]!.body).toEqual({ channel: 'webhook:4' });

    fireEvent.click(screen.getByRole('button', { name: 'Remove the webhook https://hooks.example/t' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove webhook' }));
    await waitFor(() => expect(within(list).queryByText('https://hooks.example/t')).toBeNull());
  });
});

describe('Email', () => {
  it('sets an address, shows it unconfirmed, resends, and says when the server has no mail', async () => {
    let state = 'unconfirmed';
    const api = fakeApi({
      'GET /api/me/channels/email': [404, apiErrorBody('not_found', 'no email address set')],
      'PUT /api/me/channels/email': (b) => [
        202,
        { channel: 'email', address: (b as { address: string }).address, state, created_at: '2026-12-06T10:00:00Z', confirmed_at: null, confirmation_sent: true },
      ],
    });
    render(<EmailChannel />);
    await screen.findByText('No address yet.');
    fireEvent.change(screen.getByLabelText('Email address'), { target: { value: 'ann@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send confirmation mail' }));
    expect(await screen.findByText('Not confirmed yet')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toMatch(/open the link in the mail to ann@example.com/);
    state = 'unconfirmed';
    fireEvent.click(screen.getByRole('button', { name: 'Resend confirmation' }));
    await waitFor(() => expect(api.sent('PUT', '/api/me/channels/email')).toHaveLength(2));
    expect(await screen.findByText(/^Sent again/)).toBeTruthy();
    // No test until it is confirmed.
    expect(screen.queryByRole('button', { name: /Send a test/ })).toBeNull();
  });

  it('explains a server without mail', async () => {
    fakeApi({
      'GET /api/me/channels/email': [404, apiErrorBody('not_found', 'no email address set')],
      'PUT /api/me/channels/email': [503, apiErrorBody('email_not_configured', 'email is not configured on this server (--smtp-url)')],
    });
    render(<EmailChannel />);
    fireEvent.change(await screen.findByLabelText('Email address'), { target: { value: 'ann@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send confirmation mail' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This server cannot send mail (no mail server is set up).');
  });

  it('offers a test and removal for a confirmed address', async () => {
    const api = fakeApi({
      'GET /api/me/channels/email': [200, { channel: 'email', address: 'bo@example.com', state: 'confirmed', created_at: '2026-12-01T10:00:00Z', confirmed_at: '2026-12-01T10:05:00Z' }],
      'POST /api/me/channels/test': [200, { channel: 'email', outcome: 'delivered' }],
      'DELETE /api/me/channels/email': [204],
    });
    render(<EmailChannel />);
    expect(await screen.findByText('Confirmed')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Send a test to bo@example.com' }));
    expect(await screen.findByText('Test delivered.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove the address bo@example.com' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove address' }));
    expect(await screen.findByText('No address yet.')).toBeTruthy();
    expect(api.sent('DELETE', '/api/me/channels/email')).toHaveLength(1);
  });
});

describe('ntfy', () => {
  it('saves server, topic and token, and shows a refusal in words', async () => {
    let refuse = true;
    const api = fakeApi({
      'GET /api/me/channels/ntfy': [404, apiErrorBody('not_found', 'no ntfy channel')],
      'PUT /api/me/channels/ntfy': (b) =>
        refuse
          ? [422, apiErrorBody('validation_failed', 'server: loopback', { field: 'server', problem: 'the host resolves to a loopback address' })]
          : [200, { channel: 'ntfy', ...(b as object), has_token: true, created_at: '2026-12-06T10:00:00Z' }],
      'POST /api/me/channels/test': [429, apiErrorBody('too_many_requests', 'slow down')],
    });
    render(<NtfyChannel />);
    fireEvent.change(await screen.findByLabelText('Topic'), { target: { value: 'ann-reminders-x7' } });
    fireEvent.change(screen.getByLabelText('Access token (optional)'), { target: { value: 'tk_secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save ntfy settings' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Server: the host resolves to a loopback address.');
    refuse = false;
    fireEvent.click(screen.getByRole('button', { name: 'Save ntfy settings' }));
    expect(await screen.findByText(/^Saved\. Send a test/)).toBeTruthy();
    expect(api.sent('PUT', '/api/me/channels/ntfy')[1]!.body).toEqual({ server: 'https://ntfy.sh', topic: 'ann-reminders-x7', token: 'tk_secret' });
    expect(screen.getByText(/A token is stored/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Send a test to ntfy' }));
    expect(await screen.findByText(/Only 5 tests a minute/)).toBeTruthy();
  });

  it('says so when the server has no ntfy', async () => {
    fakeApi({});
    render(<NtfyChannel />);
    expect(await screen.findByText('This server does not offer this yet.')).toBeTruthy();
    expect(screen.queryByLabelText('Topic')).toBeNull();
  });
});
