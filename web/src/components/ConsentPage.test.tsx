import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import * as oauth from '../api/oauth';
import { ConsentPage } from './ConsentPage';

const view: oauth.ConsentRequest = {
  client_id: 'abc',
  client_name: 'Claude',
  client_uri: '',
  metadata_document: false,
  redirect_uri: 'http://127.0.0.1:5000/callback',
  redirect_host: '127.0.0.1',
  loopback: true,
  scopes: ['tasks:read', 'tasks:write'],
  resource: 'http://localhost/mcp',
};
const session = {
  token: 't',
  user: { id: 1, email: 'ann@example.com', name: 'Ann', created_at: '2026-01-01T00:00:00.000Z' },
};

let assign: ReturnType<typeof vi.fn>;

beforeEach(() => {
  window.history.replaceState(null, '', '/oauth/consent?request=sealed.req');
  assign = vi.fn();
  vi.stubGlobal('location', { ...window.location, search: '?request=sealed.req', assign });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

async function renderPage(s: typeof session | null = session) {
  const props = { session: s, onSession: vi.fn(), onLogout: vi.fn() };
  await act(async () => {
    render(<ConsentPage {...props} />);
  });
  return props;
}

describe('ConsentPage', () => {
  it('names the app, what it may do in plain words and where the answer goes', async () => {
    const get = vi.spyOn(oauth, 'getConsentRequest').mockResolvedValue(view);
    await renderPage();
    expect(get).toHaveBeenCalledWith('sealed.req');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('Claude');
    expect(screen.getByText(oauth.SCOPE_WORDS['tasks:read'])).toBeTruthy();
    expect(screen.getByText(oauth.SCOPE_WORDS['tasks:write'])).toBeTruthy();
    expect(screen.getByText(/an app on this computer/).textContent).toContain('127.0.0.1');
    expect(screen.getByText(/Signed in as ann@example.com/)).toBeTruthy();
  });

  it('allow and deny send the answer and follow the redirect', async () => {
    vi.spyOn(oauth, 'getConsentRequest').mockResolvedValue(view);
    const answer = vi
      .spyOn(oauth, 'answerConsent')
      .mockResolvedValueOnce('http://127.0.0.1:5000/callback?error=access_denied')
      .mockResolvedValueOnce('http://127.0.0.1:5000/callback?code=c&state=s');
    await renderPage();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Deny' }));
    });
    expect(answer).toHaveBeenCalledWith('sealed.req', false);
    expect(assign).toHaveBeenLastCalledWith('http://127.0.0.1:5000/callback?error=access_denied');
    expect(screen.getByRole('status').textContent).toContain('127.0.0.1:5000');
    cleanup();
    await renderPage();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Allow' }));
    });
    expect(answer).toHaveBeenLastCalledWith('sealed.req', true);
    expect(assign).toHaveBeenLastCalledWith('http://127.0.0.1:5000/callback?code=c&state=s');
  });

  it('asks for a log-in first, naming the app', async () => {
    vi.spyOn(oauth, 'getConsentRequest').mockResolvedValue(view);
    await renderPage(null);
    expect(screen.getByRole('heading', { name: 'Log in' })).toBeTruthy();
    expect(screen.getByText(/wants to connect to your Tickler account/).textContent).toContain('Claude');
    expect(screen.queryByRole('button', { name: 'Allow' })).toBeNull();
  });

  it('says why when the request is expired or refused', async () => {
    vi.spyOn(oauth, 'getConsentRequest').mockRejectedValue(
      new ApiError(400, 'invalid_request', 'the authorization request has expired; start again from the app'),
    );
    await renderPage();
    expect(screen.getByRole('alert').textContent).toContain('has expired');
    expect(screen.queryByRole('button', { name: 'Allow' })).toBeNull();
  });
});
