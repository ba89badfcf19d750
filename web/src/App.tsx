// Who is signed in. Without a session: the sign-up / log-in screen. With one: the workspace.
// /oauth/consent is the OAuth consent page (it asks for a log-in itself when needed).
// When the token expires mid-work, a log-in dialog opens over the workspace (which stays as it
// is) and the request that failed is retried with the new token.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api/client';
import type { Session } from './api/endpoints';
import { AuthScreen } from './components/AuthScreen';
import { ConsentPage } from './components/ConsentPage';
import { Workspace } from './components/Workspace';
import { loadSession, saveSession, type StoredSession } from './lib/session';

interface Waiting {
  promise: Promise<string>;
  resolve: (token: string) => void;
  reject: (e: Error) => void;
}

function initialSession(): StoredSession | null {
  const s = loadSession();
  api.setToken(s?.token ?? null);
  return s;
}

export function App() {
  const [session, setSession] = useState<StoredSession | null>(initialSession);
  const [expired, setExpired] = useState(false);
  const waiting = useRef<Waiting | null>(null);
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const apply = useCallback((s: StoredSession | null) => {
    api.setToken(s?.token ?? null);
    saveSession(s);
    setSession(s);
  }, []);

  const logout = useCallback(() => {
    waiting.current?.reject(new Error('Logged out.'));
    waiting.current = null;
    setExpired(false);
    apply(null);
  }, [apply]);

  useEffect(() => {
    api.setHooks({
      reauthenticate: () => {
        if (!sessionRef.current) return Promise.reject(new Error('Not logged in.'));
        if (!waiting.current) {
          let resolve!: (t: string) => void;
          let reject!: (e: Error) => void;
          const promise = new Promise<string>((res, rej) => {
            resolve = res;
            reject = rej;
          });
          waiting.current = { promise, resolve, reject };
          setExpired(true);
        }
        return waiting.current.promise;
      },
    });
    return () => api.setHooks(null);
  }, []);

  // Another tab logged in or out: follow it.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key !== 'tickler.session') return;
      const s = loadSession();
      if (!s) {
        logout();
      } else if (s.user.id === sessionRef.current?.user.id) {
        api.setToken(s.token);
        setSession(s);
        if (waiting.current) {
          waiting.current.resolve(s.token);
          waiting.current = null;
          setExpired(false);
        }
      } else {
        window.location.reload();
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [logout]);

  const relogin = (s: Session) => {
    const sameUser = s.user.id === sessionRef.current?.user.id;
    apply(s);
    setExpired(false);
    if (!sameUser) {
      window.location.reload();
      return;
    }
    waiting.current?.resolve(s.token);
    waiting.current = null;
  };

  const expiredDialog = expired && session && (
    <div className="backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="auth-title">
        <AuthScreen onSession={relogin} expired={{ email: session.user.email }} />
        <button type="button" className="link" onClick={logout}>
          Log out instead
        </button>
      </div>
    </div>
  );
  if (window.location.pathname === '/oauth/consent') {
    return (
      <>
        <ConsentPage session={session} onSession={apply} onLogout={logout} />
        {expiredDialog}
      </>
    );
  }
  if (!session) return <AuthScreen onSession={apply} />;
  return (
    <>
      <Workspace key={session.user.id} user={session.user} onLogout={logout} />
      {expiredDialog}
    </>
  );
}
