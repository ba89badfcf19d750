// Sign up and log in. Also shown as a dialog over the app when the session expired, so nothing
// typed in the app is lost: logging in again resumes the request that failed. A server that signs
// up by invite only asks for the code (also taken from a link's ?invite=<code>).
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { login, signup, type Session } from '../api/endpoints';

function inviteFromLink(): string {
  if (typeof location === 'undefined') return '';
  return new URLSearchParams(location.search).get('invite') ?? '';
}

interface Props {
  onSession: (s: Session) => void;
  expired?: { email: string };
  intro?: ReactNode; // why the person is asked to log in (the OAuth consent page)
}

export function AuthScreen({ onSession, expired, intro }: Props) {
  const [mode, setMode] = useState<'login' | 'signup'>(() => (inviteFromLink() ? 'signup' : 'login'));
  const [invite, setInvite] = useState(inviteFromLink);
  const [askInvite, setAskInvite] = useState(() => inviteFromLink() !== '');
  const [email, setEmail] = useState(expired?.email ?? '');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = mode === 'login' ? await login(email, password) : await signup(email, password, name, invite);
      onSession(s);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Something went wrong.');
      if (err instanceof ApiError && err.code === 'email_taken') setMode('login');
      if (err instanceof ApiError && (err.code === 'invite_required' || err.code === 'invite_invalid')) {
        setAskInvite(true);
      }
    } finally {
      setBusy(false);
    }
  };

  const signingUp = mode === 'signup';
  return (
    <div className={expired ? 'auth auth-expired' : 'auth'}>
      <form className="auth-card" onSubmit={submit} aria-labelledby="auth-title">
        {!expired && (
          <p className="brand" aria-hidden="true">
            <span className="brand-mark">✓</span> Tickler
          </p>
        )}
        <h1 id="auth-title">
          {expired ? 'Your session expired' : signingUp ? 'Create your account' : 'Log in'}
        </h1>
        {expired && <p className="muted">Log in again to carry on. What you typed is kept.</p>}
        {intro}
        {signingUp && (
          <label>
            Name <span className="muted">(optional)</span>
            <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" maxLength={100} />
          </label>
        )}
        <label>
          Email
          <input
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoComplete="email"
            data-autofocus
          />
        </label>
        <label>
          Password
          <input
            type="password"
            required
            minLength={signingUp ? 8 : undefined}
            maxLength={128}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete={signingUp ? 'new-password' : 'current-password'}
            autoFocus={expired !== undefined}
          />
        </label>
        {signingUp && <p className="hint">At least 8 characters.</p>}
        {signingUp && askInvite && (
          <label>
            Invite code
            <input value={invite} onChange={(e) => setInvite(e.target.value)} autoComplete="off" required />
          </label>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {busy ? 'Please wait…' : signingUp ? 'Sign up' : 'Log in'}
        </button>
        {!expired && (
          <p className="switch">
            {signingUp ? 'Already have an account?' : 'New to Tickler?'}{' '}
            <button type="button" className="link" onClick={() => setMode(signingUp ? 'login' : 'signup')}>
              {signingUp ? 'Log in' : 'Create an account'}
            </button>
          </p>
        )}
      </form>
    </div>
  );
}
