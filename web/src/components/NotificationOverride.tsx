// In the task editor: this task's own notification rule (GET/PUT/DELETE
// /api/tasks/{id}/notification-override) — its channels, and whether quiet hours hold it —
// or the user's settings. Applied on its own button, apart from the task's Save.
import { useEffect, useId, useState } from 'react';
import {
  CHANNEL_KINDS,
  deleteOverride,
  getOverride,
  isMissingRoute,
  putOverride,
  type ChannelKind,
  type NotificationOverride as Override,
} from '../api/channels';
import { KIND_TEXT, NOT_ON_THIS_SERVER } from '../lib/channelText';
import { plainError } from '../lib/errors';

type Mode = 'default' | 'custom';

export function NotificationOverride({ taskId }: { taskId: number }) {
  const ids = useId();
  const [loaded, setLoaded] = useState(false);
  const [missing, setMissing] = useState(false);
  const [mode, setMode] = useState<Mode>('default');
  const [channels, setChannels] = useState<ChannelKind[] | null>(null); // null: the user's channels
  const [quiet, setQuiet] = useState<Override['quiet_hours']>('respect');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    getOverride(taskId).then(
      (o) => {
        if (!live) return;
        setLoaded(true);
        if (o) {
          setMode('custom');
          setChannels(o.channels ?? null);
          setQuiet(o.quiet_hours);
        }
      },
      (e: unknown) => {
        if (!live) return;
        setLoaded(true);
        if (isMissingRoute(e)) setMissing(true);
        else setStatus({ ok: false, text: plainError(e, 'Could not load this task’s notification rule.') });
      },
    );
    return () => {
      live = false;
    };
  }, [taskId]);

  const apply = async () => {
    if (mode === 'custom' && channels && !channels.length) {
      setStatus({ ok: false, text: 'Choose at least one channel, or “Every channel my settings allow”.' });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      if (mode === 'default') await deleteOverride(taskId).catch((e: unknown) => {
        if (!(e instanceof Error && 'status' in e && e.status === 404 && !isMissingRoute(e))) throw e;
      });
      else await putOverride(taskId, { channels, quiet_hours: quiet });
      setStatus({ ok: true, text: mode === 'default' ? 'This task follows your settings.' : 'This task’s notification rule is saved.' });
    } catch (e) {
      setStatus({ ok: false, text: plainError(e, 'Could not save this task’s notification rule.') });
    } finally {
      setBusy(false);
    }
  };

  const toggle = (k: ChannelKind, on: boolean) => {
    const cur = channels ?? [];
    setChannels(on ? CHANNEL_KINDS.filter((x) => x === k || cur.includes(x)) : cur.filter((x) => x !== k));
  };

  return (
    <details className="override" open={mode === 'custom' || undefined}>
      <summary>Notifications for this task</summary>
      {!loaded && <p className="muted">Loading…</p>}
      {missing && <p className="muted">{NOT_ON_THIS_SERVER}</p>}
      {loaded && !missing && (
        <div className="prefs-form">
          <fieldset className="field">
            <legend className="visually-hidden">Notification rule</legend>
            <label className="inline">
              <input type="radio" name={`${ids}-mode`} checked={mode === 'default'} onChange={() => setMode('default')} /> Follow my
              notification settings
            </label>
            <label className="inline">
              <input type="radio" name={`${ids}-mode`} checked={mode === 'custom'} onChange={() => setMode('custom')} /> Choose for this
              task
            </label>
          </fieldset>
          {mode === 'custom' && (
            <>
              <fieldset className="field">
                <legend>Channels for this task</legend>
                <label className="inline">
                  <input type="checkbox" checked={channels === null} onChange={(e) => setChannels(e.target.checked ? null : [])} /> Every
                  channel my settings allow
                </label>
                {channels !== null && (
                  <div className="prefs-row">
                    {CHANNEL_KINDS.map((k) => (
                      <label key={k} className="inline">
                        <input type="checkbox" checked={channels.includes(k)} onChange={(e) => toggle(k, e.target.checked)} /> {KIND_TEXT[k]}
                      </label>
                    ))}
                  </div>
                )}
              </fieldset>
              <label className="block">
                Quiet hours
                <select value={quiet} onChange={(e) => setQuiet(e.target.value as Override['quiet_hours'])}>
                  <option value="respect">Hold it during quiet hours</option>
                  <option value="ignore">Remind me even during quiet hours</option>
                </select>
              </label>
            </>
          )}
          <div className="channel-actions">
            <button type="button" disabled={busy} onClick={() => void apply()}>
              {busy ? 'Applying…' : 'Apply notification rule'}
            </button>
            <span role="status" className={status ? (status.ok ? 'test-ok' : 'test-failed') : undefined}>
              {status?.text}
            </span>
          </div>
        </div>
      )}
    </details>
  );
}
