// The OAuth consent page (/oauth/consent?request=…), where /oauth/authorize sends the browser: it
// names the app asking and what it may do, signs the person in when needed, and sends the
// browser back to the app with the answer (a code, or access_denied). /oauth/consent?error=…
// says why a request could not even be shown (an unknown app or redirect address).
import { useEffect, useState } from 'react';
import { ApiError, NetworkError } from '../api/client';
import type { Session } from '../api/endpoints';
import { answerConsent, getConsentRequest, scopeWords, type ConsentRequest } from '../api/oauth';
import type { StoredSession } from '../lib/session';
import { AuthScreen } from './AuthScreen';
import './oauth.css';

interface Props {
  session: StoredSession | null;
  onSession: (s: Session) => void;
  onLogout: () => void;
}

function message(e: unknown): string {
  if (e instanceof ApiError || e instanceof NetworkError) return e.message;
  return 'Something went wrong.';
}

// Why /oauth/authorize could not even show the request, in plain words (and the server's reason).
function refusal(code: string, description: string | null): string {
  const why = description ? ` (${description})` : '';
  if (code === 'invalid_client') {
    return `This app is not registered with this Tickler server. Connect again from the app${why}.`;
  }
  return `The app sent a request Tickler cannot accept${why}. Start again from the app.`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function Brand() {
  return (
    <p className="brand" aria-hidden="true">
      <span className="brand-mark">✓</span> Tickler
    </p>
  );
}

export function ConsentPage({ session, onSession, onLogout }: Props) {
  const params = new URLSearchParams(window.location.search);
  const request = params.get('request') ?? '';
  const refused = params.get('error');
  const [view, setView] = useState<ConsentRequest | null>(null);
  const [error, setError] = useState<string | null>(
    refused
      ? refusal(refused, params.get('error_description'))
      : request
        ? null
        : 'This page needs a request from an app. Start again from the app.',
  );
  const [leaving, setLeaving] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!request || refused) return;
    getConsentRequest(request).then(setView, (e) => setError(message(e)));
  }, [request, refused]);

  const decide = async (approve: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const to = await answerConsent(request, approve);
      setLeaving(hostOf(to));
      window.location.assign(to);
    } catch (e) {
      setError(message(e));
      setBusy(false);
    }
  };

  if (error && !view) {
    return (
      <div className="auth">
        <section className="auth-card consent" aria-labelledby="consent-title">
          <Brand />
          <h1 id="consent-title">This connection cannot go ahead</h1>
          <p className="form-error" role="alert">
            {error}
          </p>
          <a href="/">Go to Tickler</a>
        </section>
      </div>
    );
  }
  if (!view) {
    return (
      <div className="auth">
        <p className="muted">Loading…</p>
      </div>
    );
  }

  const name = view.client_name;
  if (!session) {
    return (
      <AuthScreen
        onSession={onSession}
        intro={
          <p className="notice">
            <strong>{name}</strong> wants to connect to your Tickler account. Log in (or create an
            account) to choose whether to allow it.
          </p>
        }
      />
    );
  }

  return (
    <div className="auth">
      <section className="auth-card consent" aria-labelledby="consent-title">
        <Brand />
        <h1 id="consent-title">
          Allow <span className="consent-app">{name}</span> to use your Tickler account?
        </h1>
        <p className="muted">
          Signed in as {session.user.email}.{' '}
          <button type="button" className="link" onClick={onLogout}>
            Not you?
          </button>
        </p>
        <div>
          <p>{name} will be able to:</p>
          <ul className="consent-scopes">
            {view.scopes.map((s) => (
              <li key={s}>{scopeWords(s)}</li>
            ))}
          </ul>
          <p className="hint">It cannot see or change your password, account or other apps.</p>
        </div>
        <p className="hint">
          {view.loopback ? (
            <>
              Your answer goes to an app on this computer (<strong>{view.redirect_host}</strong>).
            </>
          ) : (
            <>
              Your answer goes to <strong>{view.redirect_host}</strong>.
            </>
          )}{' '}
          {view.metadata_document
            ? `The app is published at ${hostOf(view.client_id)}.`
            : `"${name}" is the name the app gave itself; Tickler has not checked it.`}{' '}
          Only allow apps you trust. You can disconnect it at any time under Settings → Connected
          apps.
        </p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {leaving ? (
          <p className="notice" role="status">
            Taking you back to {leaving}…
          </p>
        ) : (
          <div className="consent-actions">
            <button type="button" onClick={() => void decide(false)} disabled={busy}>
              Deny
            </button>
            <button type="button" className="primary" onClick={() => void decide(true)} disabled={busy}>
              Allow
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
