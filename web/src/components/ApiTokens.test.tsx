import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { ApiToken, NewApiToken } from '../api/types';
import { ApiTokens, expiryText, lastUseText, type TokensApi } from './ApiTokens';

const SECRET = 'tkl_pat_' + 'A'.repeat(43);

function token(fields: Partial<ApiToken> = {}): ApiToken {
  return {
    id: 1,
    name: 'CI script',
    prefix: 'tkl_pat_abcd',
    scopes: ['tasks:read'],
    created_at: '2026-11-01T08:00:00.000Z',
    expires_at: null,
    last_used_at: null,
    ...fields,
  };
}

function fakeApi(initial: ApiToken[] = []): TokensApi & { made: NewApiToken[] } {
  let items = [...initial];
  const made: NewApiToken[] = [];
  return {
    made,
    list: vi.fn(() => Promise.resolve(items)),
    create: vi.fn((name: string, scopes, days) => {
      const t: NewApiToken = {
        ...token({ id: 100 + made.length, name, scopes, prefix: SECRET.slice(0, 12) }),
        expires_at: days ? '2027-01-30T08:00:00.000Z' : null,
        token: SECRET,
      };
      made.push(t);
      items = [...items, t];
      return Promise.resolve(t);
    }),
    remove: vi.fn((id: number) => {
      items = items.filter((t) => t.id !== id);
      return Promise.resolve();
    }),
  };
}

describe('ApiTokens', () => {
  it('lists tokens with access, expiry and last use, never a secret', async () => {
    const api = fakeApi([
      token({ id: 1, name: 'CI script' }),
      token({
        id: 2,
        name: 'Claude',
        scopes: ['tasks:read', 'tasks:write'],
        expires_at: '2020-01-01T00:00:00.000Z',
        last_used_at: '2026-11-02T09:30:00.000Z',
      }),
    ]);
    render(<ApiTokens api={api} />);
    const list = await screen.findByRole('list', { name: 'API tokens' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('Read tasks');
    expect(rows[0]!.textContent).toContain('Never used');
    expect(rows[0]!.textContent).toContain('Never expires');
    expect(rows[0]!.textContent).toContain('tkl_pat_abcd…');
    expect(rows[1]!.textContent).toContain('Read and write tasks');
    expect(rows[1]!.textContent).toMatch(/Expired 1 Jan 2020/);
    expect(rows[1]!.textContent).toMatch(/Last used 2 Nov 2026/);
  });

  it('creates a token, shows its secret once with a copy button, then forgets it', async () => {
    const api = fakeApi();
    const onFresh = vi.fn();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<ApiTokens api={api} onFresh={onFresh} />);
    await screen.findByText('No tokens yet.');
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: '  Claude Desktop ' } });
    fireEvent.click(screen.getByLabelText(/Read and\s+write tasks/));
    fireEvent.change(screen.getByLabelText('Expires after'), { target: { value: 'Never' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Create token' }));
    });
    expect(api.create).toHaveBeenCalledWith('Claude Desktop', ['tasks:read', 'tasks:write'], null);
    expect(screen.getByText(/You won’t see it again/)).toBeTruthy();
    expect((screen.getByLabelText('Your new API token') as HTMLInputElement).value).toBe(SECRET);
    expect(onFresh).toHaveBeenLastCalledWith(expect.objectContaining({ token: SECRET }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy the token' }));
    });
    expect(writeText).toHaveBeenCalledWith(SECRET);
    expect(screen.getByRole('button', { name: 'Copy the token' }).textContent).toContain('Copied');
    // Listed without its secret.
    const list = screen.getByRole('list', { name: 'API tokens' });
    expect(list.textContent).toContain('Claude Desktop');
    expect(list.textContent).not.toContain(SECRET);

    fireEvent.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByLabelText('Your new API token')).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
    expect(onFresh).toHaveBeenLastCalledWith(null);
  });

  it('sends the expiry in days and defaults to read-only', async () => {
    const api = fakeApi();
    render(<ApiTokens api={api} />);
    await screen.findByText('No tokens yet.');
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'reader' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Create token' }));
    });
    expect(api.create).toHaveBeenCalledWith('reader', ['tasks:read'], 90);
  });

  it('asks for a name before calling the server, and says what the server refused', async () => {
    const api = fakeApi();
    api.create = vi.fn().mockRejectedValue(
      new ApiError(409, 'too_many_tokens', 'you have 100 API tokens, the most allowed: delete one first'),
    );
    render(<ApiTokens api={api} />);
    await screen.findByText('No tokens yet.');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Create token' }));
    });
    expect(api.create).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toMatch(/Give the token a name/);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'one more' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Create token' }));
    });
    expect(screen.getByRole('alert').textContent).toMatch(/the most allowed/);
    expect(screen.queryByLabelText('Your new API token')).toBeNull();
  });

  it('revokes only after a confirmation', async () => {
    const api = fakeApi([token({ id: 7, name: 'old laptop' })]);
    render(<ApiTokens api={api} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke “old laptop”' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke “old laptop”?' });
    expect(dialog.textContent).toMatch(/stops working at once/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    expect(api.remove).not.toHaveBeenCalled();
    expect(screen.getByText('old laptop')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Revoke “old laptop”' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Revoke token' }));
    });
    expect(api.remove).toHaveBeenCalledWith(7);
    await waitFor(() => expect(screen.queryByText('old laptop')).toBeNull());
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByText('No tokens yet.')).toBeTruthy();
  });

  it('words expiry and last use', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    expect(expiryText(token(), now)).toBe('Never expires');
    expect(expiryText(token({ expires_at: '2026-07-01T00:00:00.000Z' }), now)).toMatch(/^Expires /);
    expect(expiryText(token({ expires_at: '2026-05-01T00:00:00.000Z' }), now)).toMatch(/^Expired /);
    expect(lastUseText(token())).toBe('Never used');
  });
});
