// Settings → Connected apps: the apps (OAuth clients, e.g. an AI assistant over MCP) the user
// allowed, what each may do and when it was last used; disconnecting one revokes its access at
// once.
import { useEffect, useState } from 'react';
import { ApiError, NetworkError } from '../api/client';
import { disconnectApp, listConnectedApps, scopeWords, type ConnectedApp } from '../api/oauth';
import './oauth.css';

function message(e: unknown): string {
  if (e instanceof ApiError || e instanceof NetworkError) return e.message;
  return 'Something went wrong.';
}

function when(iso: string | null): string {
  if (!iso) return 'never';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function ConnectedApps() {
  const [apps, setApps] = useState<ConnectedApp[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<number | null>(null);

  useEffect(() => {
    listConnectedApps().then(setApps, (e) => setError(message(e)));
  }, []);

  const disconnect = async (app: ConnectedApp) => {
    setError(null);
    try {
      await disconnectApp(app.id);
      setApps((list) => (list ?? []).filter((a) => a.id !== app.id));
    } catch (e) {
      setError(message(e));
    } finally {
      setAsking(null);
    }
  };

  return (
    <section className="settings-section" aria-labelledby="connected-apps-title">
      <h2 id="connected-apps-title">Connected apps</h2>
      <p className="hint">
        Apps you allowed to use your account, such as AI assistants connected over MCP. Disconnect
        one and it loses access at once.
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {apps === null && !error && <p className="muted">Loading…</p>}
      {apps !== null && apps.length === 0 && <p className="muted">No apps are connected.</p>}
      {apps !== null && apps.length > 0 && (
        <ul className="connected-apps">
          {apps.map((app) => (
            <li key={app.id} className="connected-app">
              <div>
                <strong>{app.client_name}</strong>
                <ul className="consent-scopes">
                  {app.scopes.map((s) => (
                    <li key={s}>{scopeWords(s)}</li>
                  ))}
                </ul>
                <p className="hint">
                  Connected {when(app.created_at)} · last used {when(app.last_used_at)}
                </p>
              </div>
              {asking === app.id ? (
                <div className="connected-app-actions" role="group" aria-label={`Disconnect ${app.client_name}?`}>
                  <button type="button" className="danger" onClick={() => void disconnect(app)}>
                    Disconnect
                  </button>
                  <button type="button" className="ghost" onClick={() => setAsking(null)}>
                    Keep
                  </button>
                </div>
              ) : (
                <button
                  type="button"
                  onClick={() => setAsking(app.id)}
                  aria-label={`Disconnect ${app.client_name}`}
                >
                  Disconnect…
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
