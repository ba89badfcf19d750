// Repeat: presets taken from the due date, or a custom RRULE; counted from the due date or from
// completion; ends never, after N times or on a date. Shows the rule in words as it is edited.
import type { RecurrenceMode } from '../api/types';
import { summarize, type PresetId } from '../lib/rrule';
import { draftRule, dueAnchor, summaryOptions, type Draft, type EndKind } from '../lib/taskDraft';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Props {
  draft: Draft;
  onChange: (patch: Partial<Draft>) => void;
  error?: string;
}

export function RecurrenceEditor({ draft, onChange, error }: Props) {
  const anchor = dueAnchor(draft);
  const rule = draftRule(draft);
  const summary = rule ? summarize(rule, summaryOptions(draft)) : null;
  return (
    <fieldset className="field recurrence">
      <legend>Repeat</legend>
      <div className="row">
        <label>
          <span className="visually-hidden">Repeat</span>
          <select
            aria-label="Repeat"
            value={draft.repeat}
            onChange={(e) => onChange({ repeat: e.target.value as PresetId })}
          >
            <option value="none">Does not repeat</option>
            <option value="daily">Every day</option>
            <option value="weekdays">Every weekday (Mon–Fri)</option>
            <option value="weekly">Every week on {DAY_NAMES[anchor.weekday]}</option>
            <option value="monthly">Every month on day {anchor.day}</option>
            <option value="yearly">Every year</option>
            <option value="custom">Custom rule…</option>
          </select>
        </label>
        {draft.repeat !== 'none' && (
          <label>
            <span className="visually-hidden">Count from</span>
            <select
              aria-label="Count from"
              value={draft.mode}
              onChange={(e) => onChange({ mode: e.target.value as RecurrenceMode })}
            >
              <option value="schedule">on schedule</option>
              <option value="completion">from completion</option>
            </select>
          </label>
        )}
      </div>
      {draft.repeat === 'custom' && (
        <label className="block">
          RRULE <span className="muted">(RFC 5545, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE)</span>
          <input
            value={draft.customRule}
            onChange={(e) => onChange({ customRule: e.target.value.toUpperCase() })}
            spellCheck={false}
            autoComplete="off"
          />
        </label>
      )}
      {draft.repeat !== 'none' && (
        <div className="row">
          <label>
            <span>Ends</span>
            <select aria-label="Ends" value={draft.end} onChange={(e) => onChange({ end: e.target.value as EndKind })}>
              <option value="never">never</option>
              <option value="count">after</option>
              <option value="until">on</option>
            </select>
          </label>
          {draft.end === 'count' && (
            <label className="inline">
              <input
                type="number"
                min={1}
                max={1000}
                value={draft.count}
                aria-label="Number of times"
                onChange={(e) => onChange({ count: Number(e.target.value) })}
              />{' '}
              times
            </label>
          )}
          {draft.end === 'until' && (
            <input
              type="date"
              aria-label="Last date"
              value={draft.until}
              onChange={(e) => onChange({ until: e.target.value })}
            />
          )}
        </div>
      )}
      {draft.repeat !== 'none' && (
        <p className="summary" aria-live="polite" data-testid="recurrence-summary">
          {summary ?? (rule ? `Custom: ${rule}` : 'Enter a rule')}
        </p>
      )}
      {draft.repeat !== 'none' && !draft.dueDate && (
        <p className="hint">A repeating task needs a due date.</p>
      )}
      {error && <p className="form-error">{error}</p>}
    </fieldset>
  );
}
