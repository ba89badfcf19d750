// Settings → Push notifications: "Enable push on this browser" (permission, subscription, record
// on the server: lib/push.ts), the browsers subscribed, each with a test and Remove. A blocked
// permission or a refused subscription is shown with its reason.
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import {
  addPushSubscription,
  deletePushSubscription,
  isMissingRoute,
  listPushSubscriptions,
  pushVapidKey,
  type PushSubscriptionRecord,
} from '../../api/channels';
import { browserName, NOT_ON_THIS_SERVER } from '../../lib/channelText';
import { formatInstant } from '../../lib/dates';
import { plainError } from '../../lib/errors';
import { browserPushEnv, currentEndpoint, enablePush, type PushEnv } from '../../lib/push';
import { ConfirmRemove } from './ConfirmRemove';
import { TestButton } from './TestButton';

export function PushChannel({ env: given }: { env?: PushEnv }) {
  const ids = useId();
  const env = useMemo(() => given ?? browserPushEnv(), [given]);
  const [subs, setSubs] = useState<PushSubscriptionRecord[] | null>(null);
  const [missing, setMissing] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [mine, setMine] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState<PushSubscriptionRecord | null>(null);

  const load = useCallback(() => {
    listPushSubscriptions().then(
      (items) => {
        setSubs(items);
        setLoadError(null);
      },
      (e: unknown) => {
        if (isMissingRoute(e)) setMissing(true);
        else setLoadError(plainError(e, 'Could not load your push subscriptions.'));
      },
    );
    void currentEndpoint(env).then(setMine);
  }, [env]);
  useEffect(load, [load]);

  const enable = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const rec = await enablePush(env, { vapidKey: pushVapidKey, add: addPushSubscription }, browserName(env.userAgent));
      setSubs((s) => [...(s ?? []).filter((x) => x.id !== rec.id), rec]);
      setMine(rec.endpoint);
      setNotice('Push is on for this browser. Send a test to see it.');
    } catch (e) {
      setError(plainError(e, 'Could not enable push.'));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (s: PushSubscriptionRecord) => {
    await deletePushSubscription(s.id);
    setSubs((list) => (list ?? []).filter((x) => x.id !== s.id));
    if (s.endpoint === mine) {
      // This browser's own: unsubscribe it too, so it can be enabled again cleanly.
      const reg = await env.registration().catch(() => null);
      await (await reg?.pushManager.getSubscription())?.unsubscribe();
      setMine(null);
    }
  };

  const subscribedHere = !!mine && !!subs?.some((s) => s.endpoint === mine);
  return (
    <section className="settings-section" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Push notifications</h2>
      <p className="muted">
        Reminders on this device even when Tickler is closed, with Done and Snooze buttons. Each browser is enabled on its own.
      </p>
      {missing ? (
        <p className="muted">{NOT_ON_THIS_SERVER}</p>
      ) : (
        <>
          <div className="channel-actions">
            <button type="button" className="primary" disabled={busy || subscribedHere} onClick={() => void enable()}>
              {busy ? 'Enabling…' : subscribedHere ? 'Push is on for this browser' : 'Enable push on this browser'}
            </button>
          </div>
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
          {loadError && (
            <p className="form-error" role="alert">
              {loadError}{' '}
              <button type="button" className="link" onClick={load}>
                Try again
              </button>
            </p>
          )}
          {subs && subs.length === 0 && <p className="muted">No browser has push enabled yet.</p>}
          {subs && subs.length > 0 && (
            <ul className="token-list channel-list" aria-label="Browsers with push">
              {subs.map((s) => {
                const name = s.user_agent || 'A browser';
                return (
                  <li key={s.id}>
                    <div className="channel-main">
                      <p className="channel-name">
                        {name} {s.endpoint === mine && <span className="state state-confirmed">This browser</span>}
                      </p>
                      <p className="token-meta">
                        <span>Added {formatInstant(s.created_at)}</span>
                        <span>{new URL(s.endpoint).host}</span>
                      </p>
                    </div>
                    <div className="channel-actions">
                      <TestButton channel={`push:${s.id}`} label={name} />
                      <button type="button" className="danger" onClick={() => setRemoving(s)} aria-label={`Remove push for ${name}`}>
                        Remove
                      </button>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
      {removing && (
        <ConfirmRemove
          title={`Stop push to ${removing.user_agent || 'this browser'}?`}
          text="That browser gets no more push notifications from Tickler."
          action="Remove"
          onConfirm={() => remove(removing)}
          onClose={() => setRemoving(null)}
        />
      )}
    </section>
  );
}
