// Settings → ntfy: the ntfy server and topic (and an access token for a protected topic) that
// reminders are published to; save, send a test, remove.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { deleteNtfy, getNtfy, isMissingRoute, setNtfy, type NtfyChannel as Ntfy } from '../../api/channels';
import { NOT_ON_THIS_SERVER } from '../../lib/channelText';
import { plainError } from '../../lib/errors';
import { ConfirmRemove } from './ConfirmRemove';
import { TestButton } from './TestButton';

export function NtfyChannel() {
  const ids = useId();
  const [current, setCurrent] = useState<Ntfy | null | undefined>(undefined);
  const [missing, setMissing] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [server, setServer] = useState('https://ntfy.sh');
  const [topic, setTopic] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);

  const load = useCallback(() => {
    getNtfy().then(
      (n) => {
        setCurrent(n);
        if (n) {
          setServer(n.server);
          setTopic(n.topic);
        }
        setLoadError(null);
      },
      (e: unknown) => {
        if (isMissingRoute(e)) setMissing(true);
        else setLoadError(plainError(e, 'Could not load your ntfy settings.'));
      },
    );
  }, []);
  useEffect(load, [load]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^https:\/\/\S+$/.test(server.trim())) {
      setError('Enter the ntfy server’s https address, like https://ntfy.sh');
      return;
    }
    if (!topic.trim()) {
      setError('Enter the topic your ntfy app is subscribed to.');
      return;
    }
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const n = await setNtfy(server.trim(), topic.trim(), token.trim() || undefined);
      setCurrent(n);
      setToken('');
      setNotice('Saved. Send a test to check that your phone gets it.');
    } catch (err) {
      setError(plainError(err, 'Could not save the ntfy settings.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings-section" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>ntfy</h2>
      <p className="muted">
        Reminders published to a topic on an ntfy server (ntfy.sh or your own); the ntfy app on your phone shows them with Done and Snooze.
      </p>
      {missing && <p className="muted">{NOT_ON_THIS_SERVER}</p>}
      {loadError && (
        <p className="form-error" role="alert">
          {loadError}{' '}
          <button type="button" className="link" onClick={load}>
            Try again
          </button>
        </p>
      )}
      {!missing && current === undefined && !loadError && <p className="muted">Loading…</p>}
      {!missing && current !== undefined && (
        <form className="token-form" onSubmit={(e) => void save(e)} aria-label="ntfy settings" noValidate>
          <label className="block">
            Server
            <input type="url" value={server} onChange={(e) => setServer(e.target.value)} />
          </label>
          <label className="block">
            Topic
            <input value={topic} maxLength={64} placeholder="a long, hard-to-guess name" onChange={(e) => setTopic(e.target.value)} />
          </label>
          <label className="block">
            Access token (optional)
            <input type="password" value={token} autoComplete="off" onChange={(e) => setToken(e.target.value)} />
          </label>
          {current?.has_token && <p className="hint">A token is stored. Saving replaces the settings: type the token again to keep it.</p>}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          {notice && (
            <p className="notice" role="status">
              {notice}
            </p>
          )}
          <div className="channel-actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save ntfy settings'}
            </button>
            {current && <TestButton channel="ntfy" label="ntfy" />}
            {current && (
              <button type="button" className="danger" onClick={() => setRemoving(true)}>
                Remove ntfy
              </button>
            )}
          </div>
        </form>
      )}
      {removing && (
        <ConfirmRemove
          title="Stop reminders to ntfy?"
          text="Nothing more is published to your topic."
          action="Remove ntfy"
          onConfirm={async () => {
            await deleteNtfy();
            setCurrent(null);
            setTopic('');
            setNotice(null);
          }}
          onClose={() => setRemoving(false)}
        />
      )}
    </section>
  );
}
