// Settings → Webhooks: the user's webhooks (up to 10) with the events each receives; add one (its
// signing secret shown once), change its events, send it a test, remove it after a confirmation.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  updateWebhook,
  WEBHOOK_EVENTS,
  type NewWebhook,
  type Webhook,
  type WebhookEvent,
} from '../../api/channels';
import { formatInstant } from '../../lib/dates';
import { plainError } from '../../lib/errors';
import { CopyButton } from '../CopyButton';
import { ConfirmRemove } from './ConfirmRemove';
import { TestButton } from './TestButton';

export const EVENT_TEXT: Record<WebhookEvent, string> = {
  'reminder.fired': 'A reminder fires',
  'task.created': 'A task is created',
  'task.updated': 'A task is changed',
  'task.completed': 'A task is completed',
  'task.deleted': 'A task is deleted',
};

function EventChoices({ value, onChange, legend }: { value: WebhookEvent[]; onChange: (v: WebhookEvent[]) => void; legend: string }) {
  const toggle = (ev: WebhookEvent, on: boolean) =>
    onChange(on ? WEBHOOK_EVENTS.filter((x) => x === ev || value.includes(x)) : value.filter((x) => x !== ev));
  return (
    <fieldset className="field">
      <legend>{legend}</legend>
      {WEBHOOK_EVENTS.map((ev) => (
        <label key={ev} className="inline">
          <input type="checkbox" checked={value.includes(ev)} onChange={(e) => toggle(ev, e.target.checked)} /> {EVENT_TEXT[ev]}
        </label>
      ))}
    </fieldset>
  );
}

function WebhookItem({ hook, onChanged, onRemove }: { hook: Webhook; onChanged: (h: Webhook) => void; onRemove: () => void }) {
  const [editing, setEditing] = useState<WebhookEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    if (!editing?.length) {
      setError('Choose at least one event, or remove the webhook.');
      return;
    }
    try {
      onChanged(await updateWebhook(hook.id, { events: editing }));
      setEditing(null);
      setError(null);
    } catch (e) {
      setError(plainError(e, 'Could not change the webhook.'));
    }
  };
  return (
    <li>
      <div className="channel-main">
        <p className="channel-name">
          <code>{hook.url}</code>
        </p>
        <p className="token-meta">
          <span>{hook.events.map((e) => EVENT_TEXT[e] ?? e).join(' · ')}</span>
          <span>Added {formatInstant(hook.created_at)}</span>
        </p>
        {editing && (
          <div className="channel-edit">
            <EventChoices value={editing} onChange={setEditing} legend={`Events sent to ${hook.url}`} />
            <div className="channel-actions">
              <button type="button" className="primary" onClick={() => void save()}>
                Save events
              </button>
              <button type="button" onClick={() => setEditing(null)}>
                Cancel
              </button>
            </div>
          </div>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="channel-actions">
        {!editing && (
          <button type="button" onClick={() => setEditing(hook.events)} aria-label={`Edit the events of ${hook.url}`}>
            Edit events
          </button>
        )}
        <TestButton channel={`webhook:${hook.id}`} label={hook.url} />
        <button type="button" className="danger" onClick={onRemove} aria-label={`Remove the webhook ${hook.url}`}>
          Remove
        </button>
      </div>
    </li>
  );
}

export function Webhooks() {
  const ids = useId();
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['reminder.fired']);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [fresh, setFresh] = useState<NewWebhook | null>(null);
  const [removing, setRemoving] = useState<Webhook | null>(null);

  const load = useCallback(() => {
    listWebhooks().then(
      (items) => {
        setHooks(items);
        setLoadError(null);
      },
      (e: unknown) => setLoadError(plainError(e, 'Could not load your webhooks.')),
    );
  }, []);
  useEffect(load, [load]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^https?:\/\/\S+$/.test(url.trim())) {
      setFormError('Enter the full address the webhook is sent to, starting with https://');
      return;
    }
    if (!events.length) {
      setFormError('Choose at least one event.');
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const made = await createWebhook(url.trim(), events, secret.trim() || undefined);
      const { secret: _secret, ...listed } = made;
      setHooks((hs) => [...(hs ?? []), listed]);
      setFresh(made);
      setUrl('');
      setSecret('');
      setEvents(['reminder.fired']);
    } catch (err) {
      setFormError(plainError(err, 'Could not add the webhook.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings-section" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Webhooks</h2>
      <p className="muted">
        Tickler sends a signed HTTPS POST to each address when a reminder fires (and, if you choose, when tasks change).
      </p>
      {loadError && (
        <p className="form-error" role="alert">
          {loadError}{' '}
          <button type="button" className="link" onClick={load}>
            Try again
          </button>
        </p>
      )}
      {!hooks && !loadError && <p className="muted">Loading…</p>}
      {hooks && hooks.length === 0 && <p className="muted">No webhooks yet.</p>}
      {hooks && hooks.length > 0 && (
        <ul className="token-list channel-list" aria-label="Webhooks">
          {hooks.map((h) => (
            <WebhookItem
              key={h.id}
              hook={h}
              onChanged={(n) => setHooks((hs) => (hs ?? []).map((x) => (x.id === n.id ? n : x)))}
              onRemove={() => setRemoving(h)}
            />
          ))}
        </ul>
      )}
      {fresh && (
        <div className="fresh-token" role="status">
          <p>
            <strong>Webhook added. Copy its signing secret now: you won’t see it again.</strong>
          </p>
          <div className="secret-row">
            <input readOnly value={fresh.secret} aria-label="The webhook’s signing secret" onFocus={(e) => e.target.select()} />
            <CopyButton text={fresh.secret} what="the secret" className="primary" />
          </div>
          <button type="button" onClick={() => setFresh(null)}>
            I have copied it
          </button>
        </div>
      )}
      <form className="token-form" onSubmit={(e) => void add(e)} aria-label="New webhook" noValidate>
        <h3>Add a webhook</h3>
        <label className="block">
          Webhook URL
          <input
            type="url"
            value={url}
            placeholder="https://example.com/hooks/tickler"
            onChange={(e) => setUrl(e.target.value)}
            aria-invalid={formError ? true : undefined}
          />
        </label>
        <EventChoices value={events} onChange={setEvents} legend="Send when" />
        <label className="block">
          Signing secret (optional, 16–256 characters; one is made when empty)
          <input type="password" value={secret} autoComplete="off" onChange={(e) => setSecret(e.target.value)} />
        </label>
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <div>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add webhook'}
          </button>
        </div>
      </form>
      {removing && (
        <ConfirmRemove
          title={`Remove the webhook ${removing.url}?`}
          text="Nothing more is sent to this address."
          action="Remove webhook"
          onConfirm={async () => {
            await deleteWebhook(removing.id);
            setHooks((hs) => (hs ?? []).filter((x) => x.id !== removing.id));
          }}
          onClose={() => setRemoving(null)}
        />
      )}
    </section>
  );
}
