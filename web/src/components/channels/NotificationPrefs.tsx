// Settings → When and where: which channels each priority goes to, quiet hours in the user's
// zone (high priority comes through anyway), and a daily digest (overdue + today) at a time.
import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import {
  CHANNEL_KINDS,
  getNotificationSettings,
  isMissingRoute,
  putNotificationSettings,
  type ChannelKind,
  type NotificationSettings,
  type PriorityName,
} from '../../api/channels';
import { KIND_TEXT, NOT_ON_THIS_SERVER } from '../../lib/channelText';
import { allTimeZones } from '../../lib/dates';
import { plainError } from '../../lib/errors';

const PRIORITIES: [PriorityName, string][] = [
  ['high', 'High'],
  ['medium', 'Medium'],
  ['low', 'Low'],
  ['none', 'No priority'],
];
const DIGEST_KINDS: ChannelKind[] = ['email', 'push', 'ntfy'];

function toggled(list: ChannelKind[], kind: ChannelKind, on: boolean): ChannelKind[] {
  return on ? CHANNEL_KINDS.filter((k) => k === kind || list.includes(k)) : list.filter((k) => k !== kind);
}

export function NotificationPrefs() {
  const ids = useId();
  const zones = useMemo(allTimeZones, []);
  const [prefs, setPrefs] = useState<NotificationSettings | null>(null);
  const [missing, setMissing] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const load = useCallback(() => {
    getNotificationSettings().then(
      (p) => {
        setPrefs(p);
        setLoadError(null);
      },
      (e: unknown) => {
        if (isMissingRoute(e)) setMissing(true);
        else setLoadError(plainError(e, 'Could not load your notification settings.'));
      },
    );
  }, []);
  useEffect(load, [load]);

  const patch = (p: Partial<NotificationSettings>) => {
    setSaved(false);
    setPrefs((cur) => (cur ? { ...cur, ...p } : cur));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!prefs) return;
    if (prefs.quiet_hours && prefs.quiet_hours.start === prefs.quiet_hours.end) {
      setError('Quiet hours need different start and end times.');
      return;
    }
    if (prefs.digest && !prefs.digest.channels.length) {
      setError('Choose where the daily digest goes, or turn it off.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setPrefs(await putNotificationSettings(prefs));
      setSaved(true);
    } catch (err) {
      setError(plainError(err, 'Could not save the notification settings.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings-section" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>When and where reminders go</h2>
      {missing && <p className="muted">{NOT_ON_THIS_SERVER}</p>}
      {loadError && (
        <p className="form-error" role="alert">
          {loadError}{' '}
          <button type="button" className="link" onClick={load}>
            Try again
          </button>
        </p>
      )}
      {!missing && !prefs && !loadError && <p className="muted">Loading…</p>}
      {prefs && (
        <form className="prefs-form" onSubmit={(e) => void save(e)} aria-label="Notification settings">
          <label className="block">
            Your time zone (for quiet hours and the digest)
            <select value={prefs.time_zone} onChange={(e) => patch({ time_zone: e.target.value })}>
              {(zones.includes(prefs.time_zone) ? zones : [prefs.time_zone, ...zones]).map((z) => (
                <option key={z}>{z}</option>
              ))}
            </select>
          </label>

          <fieldset className="field">
            <legend>Channels by priority</legend>
            <p className="hint">The app and its in-app notices always get every reminder.</p>
            <table className="prio-table">
              <thead>
                <tr>
                  <th scope="col">Priority</th>
                  {CHANNEL_KINDS.map((k) => (
                    <th key={k} scope="col">
                      {KIND_TEXT[k]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {PRIORITIES.map(([p, label]) => (
                  <tr key={p}>
                    <th scope="row">{label}</th>
                    {CHANNEL_KINDS.map((k) => (
                      <td key={k}>
                        <input
                          type="checkbox"
                          aria-label={`${KIND_TEXT[k]} for ${label.toLowerCase()}${p === 'none' ? '' : ' priority'}`}
                          checked={prefs.channels_by_priority[p].includes(k)}
                          onChange={(e) =>
                            patch({
                              channels_by_priority: {
                                ...prefs.channels_by_priority,
                                [p]: toggled(prefs.channels_by_priority[p], k, e.target.checked),
                              },
                            })
                          }
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </fieldset>

          <fieldset className="field">
            <legend>Quiet hours</legend>
            <label className="inline">
              <input
                type="checkbox"
                checked={!!prefs.quiet_hours}
                onChange={(e) => patch({ quiet_hours: e.target.checked ? { start: '22:00', end: '07:00' } : null })}
              />{' '}
              Hold reminders during quiet hours
            </label>
            {prefs.quiet_hours && (
              <div className="prefs-row">
                <label className="inline">
                  From
                  <input type="time" value={prefs.quiet_hours.start} onChange={(e) => patch({ quiet_hours: { ...prefs.quiet_hours!, start: e.target.value } })} />
                </label>
                <label className="inline">
                  to
                  <input type="time" value={prefs.quiet_hours.end} onChange={(e) => patch({ quiet_hours: { ...prefs.quiet_hours!, end: e.target.value } })} />
                </label>
              </div>
            )}
            <p className="hint">Held reminders arrive when quiet hours end. High priority comes through at any time.</p>
          </fieldset>

          <fieldset className="field">
            <legend>Daily digest</legend>
            <label className="inline">
              <input
                type="checkbox"
                checked={!!prefs.digest}
                onChange={(e) => patch({ digest: e.target.checked ? { time: '08:00', channels: ['email'] } : null })}
              />{' '}
              Send a daily digest of overdue and today’s tasks
            </label>
            {prefs.digest && (
              <div className="prefs-row">
                <label className="inline">
                  At
                  <input type="time" value={prefs.digest.time} onChange={(e) => patch({ digest: { ...prefs.digest!, time: e.target.value } })} />
                </label>
                {DIGEST_KINDS.map((k) => (
                  <label key={k} className="inline">
                    <input
                      type="checkbox"
                      checked={prefs.digest!.channels.includes(k)}
                      onChange={(e) => patch({ digest: { ...prefs.digest!, channels: toggled(prefs.digest!.channels, k, e.target.checked) } })}
                    />{' '}
                    Digest by {KIND_TEXT[k].toLowerCase()}
                  </label>
                ))}
              </div>
            )}
          </fieldset>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <div className="channel-actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save notification settings'}
            </button>
            <span role="status">{saved ? 'Saved.' : ''}</span>
          </div>
        </form>
      )}
    </section>
  );
}
