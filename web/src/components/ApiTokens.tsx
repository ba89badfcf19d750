// Settings → API tokens: make a personal API token (name, access, expiry), see its secret once
// with a copy button, list the tokens with their last use, revoke one after a confirmation.
// The API functions come in as a prop so tests can stand in for the server.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { createApiToken, deleteApiToken, listApiTokens } from '../api/endpoints';
import type { ApiToken, NewApiToken, TokenScope } from '../api/types';
import { formatInstant } from '../lib/dates';
import { plainError } from '../lib/errors';
import { CopyButton } from './CopyButton';
import { Dialog } from './Dialog';

export interface TokensApi {
  list: () => Promise<ApiToken[]>;
  create: (name: string, scopes: TokenScope[], expiresInDays: number | null) => Promise<NewApiToken>;
  remove: (id: number) => Promise<void>;
}

const SERVER: TokensApi = { list: listApiTokens, create: createApiToken, remove: deleteApiToken };

export const EXPIRY_CHOICES: [string, number | null][] = [
  ['30 days', 30],
  ['90 days', 90],
  ['1 year', 365],
  ['Never', null],
];

export function accessText(scopes: TokenScope[]): string {
  return scopes.includes('tasks:write') ? 'Read and write tasks' : 'Read tasks';
}

export function expiryText(t: ApiToken, now = Date.now()): string {
  if (!t.expires_at) return 'Never expires';
  const at = formatInstant(t.expires_at);
  return Date.parse(t.expires_at) <= now ? `Expired ${at}` : `Expires ${at}`;
}

export function lastUseText(t: ApiToken): string {
  return t.last_used_at ? `Last used ${formatInstant(t.last_used_at)}` : 'Never used';
}

interface Props {
  api?: TokensApi;
  // A token was just made (its secret is in `token`), or the user dismissed it (null).
  onFresh?: (token: NewApiToken | null) => void;
}

export function ApiTokens({ api = SERVER, onFresh }: Props) {
  const ids = useId();
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [write, setWrite] = useState(false);
  const [expiry, setExpiry] = useState('90 days');
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<NewApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);

  const load = useCallback(() => {
    api.list().then(
      (items) => {
        setTokens(items);
        setLoadError(null);
      },
      (e: unknown) => setLoadError(plainError(e, 'Could not load your API tokens.')),
    );
  }, [api]);
  useEffect(load, [load]);

  const showFresh = (t: NewApiToken | null) => {
    setFresh(t);
    onFresh?.(t);
  };

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setFormError('Give the token a name, such as the app or script that will use it.');
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const scopes: TokenScope[] = write ? ['tasks:read', 'tasks:write'] : ['tasks:read'];
      const days = EXPIRY_CHOICES.find(([label]) => label === expiry)?.[1] ?? null;
      const made = await api.create(name.trim(), scopes, days);
      const listed: ApiToken = {
        id: made.id,
        name: made.name,
        prefix: made.prefix,
        scopes: made.scopes,
        created_at: made.created_at,
        expires_at: made.expires_at,
        last_used_at: made.last_used_at,
      };
      setTokens((ts) => [...(ts ?? []), listed]);
      setName('');
      showFresh(made);
    } catch (err) {
      setFormError(plainError(err, 'Could not create the token.'));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (t: ApiToken) => {
    setRevokeError(null);
    try {
      await api.remove(t.id);
      setTokens((ts) => (ts ?? []).filter((x) => x.id !== t.id));
      if (fresh?.id === t.id) showFresh(null);
      setRevoking(null);
    } catch (err) {
      setRevokeError(plainError(err, 'Could not revoke the token.'));
    }
  };

  return (
    <section className="settings-section" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>API tokens</h2>
      <p className="muted">
        A personal API token lets a script or an AI client use Tickler as you, over the REST API and MCP.
        Treat it like a password. It cannot change your password or make other tokens.
      </p>

      <form className="token-form" onSubmit={(e) => void create(e)} aria-label="New API token">
        <label className="block">
          Name
          <input
            value={name}
            maxLength={100}
            placeholder="e.g. Claude Desktop on my laptop"
            onChange={(e) => setName(e.target.value)}
            aria-invalid={formError ? true : undefined}
          />
        </label>
        <fieldset className="field">
          <legend>Access</legend>
          <label className="inline">
            <input type="radio" name={`${ids}-access`} checked={!write} onChange={() => setWrite(false)} /> Read tasks
          </label>
          <label className="inline">
            <input type="radio" name={`${ids}-access`} checked={write} onChange={() => setWrite(true)} /> Read and
            write tasks
          </label>
        </fieldset>
        <label className="block">
          Expires after
          <select value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRY_CHOICES.map(([label]) => (
              <option key={label}>{label}</option>
            ))}
          </select>
        </label>
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <div>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </form>

      {fresh && (
        <div className="fresh-token" role="status" aria-labelledby={`${ids}-fresh`}>
          <p id={`${ids}-fresh`}>
            <strong>Copy your new token “{fresh.name}” now. You won’t see it again.</strong>
          </p>
          <div className="secret-row">
            <input readOnly value={fresh.token} aria-label="Your new API token" onFocus={(e) => e.target.select()} />
            <CopyButton text={fresh.token} what="the token" className="primary" />
          </div>
          <p className="hint">Only its first characters ({fresh.prefix}…) stay visible here; Tickler keeps no copy.</p>
          <button type="button" onClick={() => showFresh(null)}>
            I have copied it
          </button>
        </div>
      )}

      <h3>Your tokens</h3>
      {loadError && (
        <p className="form-error" role="alert">
          {loadError}{' '}
          <button type="button" className="link" onClick={load}>
            Try again
          </button>
        </p>
      )}
      {!tokens && !loadError && <p className="muted">Loading…</p>}
      {tokens && tokens.length === 0 && <p className="muted">No tokens yet.</p>}
      {tokens && tokens.length > 0 && (
        <ul className="token-list" aria-label="API tokens">
          {tokens.map((t) => (
            <li key={t.id}>
              <div className="token-main">
                <p className="token-name">{t.name}</p>
                <p className="token-meta">
                  <code>{t.prefix}…</code>
                  <span>{accessText(t.scopes)}</span>
                  <span>Created {formatInstant(t.created_at)}</span>
                  <span className={t.expires_at && Date.parse(t.expires_at) <= Date.now() ? 'expired' : ''}>
                    {expiryText(t)}
                  </span>
                  <span>{lastUseText(t)}</span>
                </p>
              </div>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  setRevokeError(null);
                  setRevoking(t);
                }}
                aria-label={`Revoke “${t.name}”`}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}

      {revoking && (
        <Dialog title={`Revoke “${revoking.name}”?`} onClose={() => setRevoking(null)} closeLabel="Cancel">
          <p>Anything using this token stops working at once. This cannot be undone.</p>
          {revokeError && (
            <p className="form-error" role="alert">
              {revokeError}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={() => setRevoking(null)} data-autofocus>
              Keep it
            </button>
            <button type="button" className="primary danger-fill" onClick={() => void revoke(revoking)}>
              Revoke token
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
