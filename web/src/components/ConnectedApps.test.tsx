import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as oauth from '../api/oauth';
import { ConnectedApps } from './ConnectedApps';

afterEach(() => vi.restoreAllMocks());

const apps: oauth.ConnectedApp[] = [
  {
    id: 7,
    client_id: 'abc',
    client_name: 'Claude',
    client_uri: '',
    scopes: ['tasks:read'],
    created_at: '2026-12-01T10:00:00.000Z',
    last_used_at: null,
  },
  {
    id: 8,
    client_id: 'def',
    client_name: 'Cursor',
    client_uri: '',
    scopes: ['tasks:read', 'tasks:write'],
    created_at: '2026-12-02T10:00:00.000Z',
    last_used_at: '2026-12-03T10:00:00.000Z',
  },
];

describe('ConnectedApps', () => {
  it('lists the connected apps with what they may do, and disconnects one after asking', async () => {
    vi.spyOn(oauth, 'listConnectedApps').mockResolvedValue(apps);
    const disconnect = vi.spyOn(oauth, 'disconnectApp').mockResolvedValue(undefined);
    await act(async () => {
      render(<ConnectedApps />);
    });
    expect(screen.getByText('Claude')).toBeTruthy();
    expect(screen.getAllByText(oauth.SCOPE_WORDS['tasks:read'])).toHaveLength(2);
    expect(screen.getByText(/last used never/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Disconnect Claude' }));
    expect(disconnect).not.toHaveBeenCalled();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Disconnect' }));
    });
    expect(disconnect).toHaveBeenCalledWith(7);
    expect(screen.queryByText('Claude')).toBeNull();
    expect(screen.getByText('Cursor')).toBeTruthy();
  });

  it('says when no app is connected', async () => {
    vi.spyOn(oauth, 'listConnectedApps').mockResolvedValue([]);
    await act(async () => {
      render(<ConnectedApps />);
    });
    expect(screen.getByText('No apps are connected.')).toBeTruthy();
  });
});
