import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import * as endpoints from '../api/endpoints';
import { AuthScreen } from './AuthScreen';

afterEach(() => {
  vi.restoreAllMocks();
});

const session = { token: 't', user: { id: 1, email: 'a@example.com', name: '', created_at: '2026-01-01T00:00:00.000Z' } };

describe('AuthScreen', () => {
  it('asks for an invite code when the server signs up by invite only, then sends it', async () => {
    const signup = vi
      .spyOn(endpoints, 'signup')
      .mockRejectedValueOnce(new ApiError(403, 'invite_required', 'sign-up needs an invite code (invite_code)', {}))
      .mockResolvedValueOnce(session);
    const onSession = vi.fn();
    render(<AuthScreen onSession={onSession} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create an account' }));
    expect(screen.queryByLabelText('Invite code')).toBeNull();
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'a@example.com' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'long enough pw' } });
    await act(async () => {
      fireEvent.submit(screen.getByRole('button', { name: 'Sign up' }).closest('form')!);
    });
    expect(screen.getByRole('alert').textContent).toContain('invite code');
    fireEvent.change(screen.getByLabelText('Invite code'), { target: { value: ' CODE123 ' } });
    await act(async () => {
      fireEvent.submit(screen.getByRole('button', { name: 'Sign up' }).closest('form')!);
    });
    expect(signup).toHaveBeenLastCalledWith('a@example.com', 'long enough pw', '', ' CODE123 ');
    expect(onSession).toHaveBeenCalledWith(session);
  });

  it('shows why when sign-up is closed', async () => {
    vi.spyOn(endpoints, 'signup').mockRejectedValueOnce(
      new ApiError(403, 'signup_closed', 'sign-up is closed on this server', {}),
    );
    render(<AuthScreen onSession={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create an account' }));
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'a@example.com' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'long enough pw' } });
    await act(async () => {
      fireEvent.submit(screen.getByRole('button', { name: 'Sign up' }).closest('form')!);
    });
    expect(screen.getByRole('alert').textContent).toContain('sign-up is closed');
    expect(screen.queryByLabelText('Invite code')).toBeNull();
  });
});
