// Settings → Email: the address reminders are mailed to, and whether it is confirmed (a mail
// with a link confirms it); set or change it, send the confirmation again, send a test once it
// is confirmed, remove it after a confirmation.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { deleteEmail, getEmail, setEmail, type EmailChannel as Email } from '../../api/channels';
import { formatInstant } from '../../lib/dates';
import { plainError } from '../../lib/errors';
import { ConfirmRemove } from './ConfirmRemove';
import { TestButton } from './TestButton';

function emailError(e: unknown, fallback: string): string {
  if (e instanceof ApiError && e.code === 'email_not_configured') return 'This server cannot send mail (no mail server is set up).';
  if (e instanceof ApiError && e.code === 'confirmation_rate_limited') return 'At most 5 confirmation mails an hour. Try again later.';
  return plainError(e, fallback);
}

export function EmailChannel() {
  const ids = useId();
  const [email, setCurrent] = useState<Email | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [address, setAddress] = useState('');
  const [changing, setChanging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);

  const load = useCallback(() => {
    getEmail().then(
      (e) => {
        setCurrent(e);
        setLoadError(null);
      },
      (e: unknown) => setLoadError(plainError(e, 'Could not load your email settings.')),
    );
  }, []);
  useEffect(load, [load]);

  const put = async (to: string, what: 'set' | 'resend') => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const r = await setEmail(to);
      setCurrent(r);
      setChanging(false);
      setAddress('');
      if (r.state === 'confirmed') setNotice(`${r.address} is confirmed.`);
      else if (r.confirmation_sent) setNotice(`${what === 'resend' ? 'Sent again' : 'Sent'}: open the link in the mail to ${r.address} to confirm it.`);
    } catch (e) {
      setError(emailError(e, 'Could not set the address.'));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^[^\s@]+@[^\s@]+$/.test(address.trim())) {
      setError('Enter an email address, like ann@example.com.');
      return;
    }
    void put(address.trim(), 'set');
  };

  const form = (
    <form className="token-form" onSubmit={submit} aria-label="Reminder mail" noValidate>
      <label className="block">
        Email address
        <input type="email" value={address} autoComplete="email" onChange={(e) => setAddress(e.target.value)} aria-invalid={error ? true : undefined} />
      </label>
      <div className="channel-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Sending…' : email ? 'Change address' : 'Send confirmation mail'}
        </button>
        {email && (
          <button type="button" onClick={() => setChanging(false)}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );

  return (
    <section className="settings-section" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Email</h2>
      <p className="muted">Reminders by mail, with Done and Snooze buttons. The address is used once you confirm it.</p>
      {loadError && (
        <p className="form-error" role="alert">
          {loadError}{' '}
          <button type="button" className="link" onClick={load}>
            Try again
          </button>
        </p>
      )}
      {email === undefined && !loadError && <p className="muted">Loading…</p>}
      {email && (
        <div className="channel-row">
          <div className="channel-main">
            <p className="channel-name">
              {email.address}{' '}
              <span className={`state state-${email.state}`}>{email.state === 'confirmed' ? 'Confirmed' : 'Not confirmed yet'}</span>
            </p>
            <p className="token-meta">
              {email.confirmed_at ? <span>Confirmed {formatInstant(email.confirmed_at)}</span> : <span>Added {formatInstant(email.created_at)}</span>}
            </p>
          </div>
          <div className="channel-actions">
            {email.state === 'unconfirmed' && (
              <button type="button" disabled={busy} onClick={() => void put(email.address, 'resend')}>
                Resend confirmation
              </button>
            )}
            {email.state === 'confirmed' && <TestButton channel="email" label={email.address} />}
            {!changing && (
              <button type="button" onClick={() => setChanging(true)}>
                Change
              </button>
            )}
            <button type="button" className="danger" onClick={() => setRemoving(true)} aria-label={`Remove the address ${email.address}`}>
              Remove
            </button>
          </div>
        </div>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {email === null && <p className="muted">No address yet.</p>}
      {(email === null || changing) && form}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {removing && email && (
        <ConfirmRemove
          title={`Remove ${email.address}?`}
          text="No more reminders are mailed to this address."
          action="Remove address"
          onConfirm={async () => {
            await deleteEmail();
            setCurrent(null);
            setNotice(null);
          }}
          onClose={() => setRemoving(false)}
        />
      )}
    </section>
  );
}
