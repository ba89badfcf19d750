// The task editor's form state, and its conversion from a task and to the API's fields. Dates,
// times and "at" reminders are wall times in the task's time zone.
import type { Priority, RecurrenceMode, Reminder, Task, TaskInput } from '../api/types';
import { instantToWall, toIso, wallToInstant, zonedParts } from './dates';
import { buildRule, parseRule, presetOf, presetRule, withEnd, type PresetId } from './rrule';

export type ReminderUnit = 'minutes' | 'hours' | 'days';
export type ReminderDraft =
  | { kind: 'before'; amount: number; unit: ReminderUnit }
  | { kind: 'at'; date: string; time: string };

export type EndKind = 'never' | 'count' | 'until';

export interface Draft {
  title: string;
  description: string;
  priority: Priority;
  tags: string[];
  dueDate: string; // YYYY-MM-DD, '' = no due date
  dueTime: string; // HH:MM
  timeZone: string;
  reminders: ReminderDraft[];
  repeat: PresetId;
  customRule: string; // the rule without COUNT/UNTIL, for 'custom'
  mode: RecurrenceMode;
  end: EndKind;
  count: number;
  until: string; // YYYY-MM-DD
}

const UNIT_MINUTES: Record<ReminderUnit, number> = { minutes: 1, hours: 60, days: 1440 };

export function emptyDraft(zone: string): Draft {
  return {
    title: '',
    description: '',
    priority: 'none',
    tags: [],
    dueDate: '',
    dueTime: '09:00',
    timeZone: zone,
    reminders: [],
    repeat: 'none',
    customRule: 'FREQ=WEEKLY;INTERVAL=2',
    mode: 'schedule',
    end: 'never',
    count: 10,
    until: '',
  };
}

function reminderDraft(r: Reminder, zone: string): ReminderDraft {
  if ('at' in r) {
    const w = instantToWall(Date.parse(r.at), zone);
    return { kind: 'at', date: w.date, time: w.time };
  }
  const m = r.before_minutes;
  if (m > 0 && m % 1440 === 0) return { kind: 'before', amount: m / 1440, unit: 'days' };
  if (m > 0 && m % 60 === 0) return { kind: 'before', amount: m / 60, unit: 'hours' };
  return { kind: 'before', amount: m, unit: 'minutes' };
}

// Weekday (0 = Sunday) and day of month of the due date, for the recurrence presets.
export function dueAnchor(d: Pick<Draft, 'dueDate'>): { weekday: number; day: number } {
  if (!d.dueDate) return { weekday: 1, day: 1 };
  const date = new Date(d.dueDate + 'T00:00:00Z');
  return { weekday: date.getUTCDay(), day: date.getUTCDate() };
}

export function draftFromTask(task: Task, fallbackZone: string): Draft {
  const zone = task.time_zone || fallbackZone;
  const d = emptyDraft(zone);
  d.title = task.title;
  d.description = task.description;
  d.priority = task.priority;
  d.tags = [...task.tags];
  if (task.due_at) {
    const w = instantToWall(Date.parse(task.due_at), zone);
    d.dueDate = w.date;
    d.dueTime = w.time;
  }
  d.reminders = task.reminders.map((r) => reminderDraft(r, zone));
  if (task.recurrence) {
    d.mode = task.recurrence.mode;
    const rule = parseRule(task.recurrence.rrule);
    const anchor = dueAnchor(d);
    if (rule) {
      if (rule.count) {
        d.end = 'count';
        d.count = rule.count;
      } else if (rule.until) {
        d.end = 'until';
        d.until = `${rule.until.slice(0, 4)}-${rule.until.slice(4, 6)}-${rule.until.slice(6, 8)}`;
      }
      const core = buildRule({ ...rule, count: undefined, until: undefined });
      d.repeat = presetOf(core, anchor.weekday, anchor.day);
      if (d.repeat === 'custom') d.customRule = core;
    } else {
      d.repeat = 'custom';
      d.customRule = task.recurrence.rrule;
    }
  }
  return d;
}

// The rule the draft describes (with its end), or null when it does not repeat.
export function draftRule(d: Draft): string | null {
  if (d.repeat === 'none') return null;
  const anchor = dueAnchor(d);
  const core = d.repeat === 'custom' ? d.customRule.trim() : presetRule(d.repeat, anchor.weekday, anchor.day);
  if (!core) return null;
  if (d.end === 'count') return withEnd(core, { kind: 'count', count: d.count });
  if (d.end === 'until' && d.until) return withEnd(core, { kind: 'until', date: d.until });
  return withEnd(core, { kind: 'never' });
}

export function draftDueIso(d: Draft): string | null {
  if (!d.dueDate) return null;
  return toIso(wallToInstant({ date: d.dueDate, time: d.dueTime || '09:00' }, d.timeZone));
}

export function draftToInput(d: Draft): TaskInput {
  const due = draftDueIso(d);
  const rule = draftRule(d);
  return {
    title: d.title.trim(),
    description: d.description,
    priority: d.priority,
    tags: d.tags,
    due_at: due,
    time_zone: d.timeZone,
    reminders: d.reminders.map((r) =>
      r.kind === 'before'
        ? { before_minutes: Math.max(0, Math.round(r.amount * UNIT_MINUTES[r.unit])) }
        : { at: toIso(wallToInstant({ date: r.date, time: r.time || '09:00' }, d.timeZone)) },
    ),
    recurrence: rule && due ? { rrule: rule, mode: d.mode } : null,
  };
}

// The recurrence summary's options for a draft (time of day, start month/day).
export function summaryOptions(d: Draft): { time?: string; mode: RecurrenceMode; startMonth?: number; startDay?: number } {
  if (!d.dueDate) return { mode: d.mode };
  const ms = wallToInstant({ date: d.dueDate, time: d.dueTime || '09:00' }, d.timeZone);
  const p = zonedParts(ms, d.timeZone);
  return { time: d.dueTime || '09:00', mode: d.mode, startMonth: p.month, startDay: p.day };
}

// What keeps the draft from being saved as the person meant it, by field (title, recurrence,
// reminders): a repeat or a reminder "before due" needs a due date, else the server would drop
// it or refuse it. Empty when it can be saved.
export function draftProblems(d: Draft): Partial<Record<'title' | 'recurrence' | 'reminders', string>> {
  const out: Partial<Record<'title' | 'recurrence' | 'reminders', string>> = {};
  const length = [...d.title.trim()].length;
  if (length === 0) out.title = 'A title is required.';
  else if (length > 200) out.title = `The title is too long (${length} of 200 characters).`;
  if (!d.dueDate && draftRule(d) !== null) {
    out.recurrence = 'A repeating task needs a due date. Set one, or choose “Does not repeat”.';
  }
  if (!d.dueDate && d.reminders.some((r) => r.kind === 'before')) {
    out.reminders = 'A reminder before the due time needs a due date. Set one, or remind at a date and time.';
  }
  return out;
}
