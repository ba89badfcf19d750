// RFC 5545 RRULEs as the recurrence editor sees them: parse, build, the presets, and the human
// summary ("Every weekday at 09:00, 10 times").

export type Freq = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
export const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type DayCode = (typeof DAY_CODES)[number];

export interface Rule {
  freq: Freq;
  interval: number;
  byday: string[]; // "MO", or with an ordinal for MONTHLY: "-1FR", "2TU"
  bymonthday: number[];
  count?: number;
  until?: string; // as written: 20261231T235959Z or 20261231
  other: string[]; // parts the editor does not model, kept as they are
}

const FREQS: Freq[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];

// null when the text is not a rule the UI can read (the server still judges custom rules).
export function parseRule(text: string): Rule | null {
  const rule: Rule = { freq: 'DAILY', interval: 1, byday: [], bymonthday: [], other: [] };
  let freq: Freq | null = null;
  for (const part of text.trim().replace(/^RRULE:/i, '').split(';')) {
    if (!part) continue;
    const [rawKey, value = ''] = part.split('=');
    const key = (rawKey ?? '').toUpperCase();
    if (key === 'FREQ') {
      const f = value.toUpperCase() as Freq;
      if (!FREQS.includes(f)) return null;
      freq = f;
    } else if (key === 'INTERVAL') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) return null;
      rule.interval = n;
    } else if (key === 'BYDAY') {
      rule.byday = value.toUpperCase().split(',').filter(Boolean);
      if (!rule.byday.every((d) => /^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$/.test(d))) return null;
    } else if (key === 'BYMONTHDAY') {
      rule.bymonthday = value.split(',').map(Number);
      if (!rule.bymonthday.every((n) => Number.isInteger(n) && n !== 0 && Math.abs(n) <= 31)) {
        return null;
      }
    } else if (key === 'COUNT') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) return null;
      rule.count = n;
    } else if (key === 'UNTIL') {
      if (!/^\d{8}(T\d{6}Z?)?$/.test(value)) return null;
      rule.until = value;
    } else {
      rule.other.push(part);
    }
  }
  if (!freq) return null;
  rule.freq = freq;
  return rule;
}

export function buildRule(rule: Rule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval > 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.byday.length) parts.push(`BYDAY=${rule.byday.join(',')}`);
  if (rule.bymonthday.length) parts.push(`BYMONTHDAY=${rule.bymonthday.join(',')}`);
  if (rule.count) parts.push(`COUNT=${rule.count}`);
  if (rule.until) parts.push(`UNTIL=${rule.until}`);
  parts.push(...rule.other);
  return parts.join(';');
}

const DAY_NAMES: Record<string, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const ORDINAL_WORDS: Record<string, string> = {
  '1': 'first',
  '2': 'second',
  '3': 'third',
  '4': 'fourth',
  '5': 'fifth',
  '-1': 'last',
  '-2': 'second to last',
};
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

export function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function dayPhrase(code: string): string {
  const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(code);
  if (!m) return code;
  const name = DAY_NAMES[m[2] ?? ''] ?? code;
  if (!m[1]) return name;
  const n = String(Number(m[1]));
  return `${ORDINAL_WORDS[n] ?? ordinal(Number(n))} ${name}`;
}

function monthDayPhrase(n: number): string {
  if (n === -1) return 'the last day';
  if (n < 0) return `the ${ordinal(-n)} to last day`;
  return `the ${ordinal(n)}`;
}

function untilPhrase(until: string): string {
  const y = until.slice(0, 4);
  const m = Number(until.slice(4, 6));
  const d = Number(until.slice(6, 8));
  return `until ${d} ${MONTHS[m - 1]?.slice(0, 3) ?? ''} ${y}`;
}

const WEEKDAYS_SET = 'MO,TU,WE,TH,FR';

export interface SummaryOptions {
  time?: string; // HH:MM the occurrences are due at
  mode?: 'schedule' | 'completion';
  startMonth?: number; // 1–12, for yearly rules: the month of the first due date
  startDay?: number;
}

// "Every weekday at 09:00, 10 times"; null when the rule cannot be read.
export function summarize(rrule: string, opts: SummaryOptions = {}): string | null {
  const rule = parseRule(rrule);
  if (!rule) return null;
  const n = rule.interval;
  let text: string;
  switch (rule.freq) {
    case 'DAILY':
      text = n === 1 ? 'Every day' : n === 2 ? 'Every other day' : `Every ${n} days`;
      break;
    case 'WEEKLY': {
      const days = [...rule.byday].sort(
        (a, b) => DAY_CODES.indexOf(a as DayCode) - DAY_CODES.indexOf(b as DayCode),
      );
      if (n === 1 && days.join(',') === WEEKDAYS_SET) text = 'Every weekday';
      else if (n === 1 && days.length) text = `Every ${joinWords(days.map(dayPhrase))}`;
      else if (days.length) text = `Every ${n} weeks on ${joinWords(days.map(dayPhrase))}`;
      else text = n === 1 ? 'Every week' : n === 2 ? 'Every other week' : `Every ${n} weeks`;
      break;
    }
    case 'MONTHLY': {
      text = n === 1 ? 'Every month' : n === 2 ? 'Every other month' : `Every ${n} months`;
      if (rule.bymonthday.length) text += ` on ${joinWords(rule.bymonthday.map(monthDayPhrase))}`;
      else if (rule.byday.length) text += ` on the ${joinWords(rule.byday.map(dayPhrase))}`;
      break;
    }
    case 'YEARLY':
      text = n === 1 ? 'Every year' : `Every ${n} years`;
      if (opts.startMonth && opts.startDay) {
        text += ` on ${opts.startDay} ${MONTHS[opts.startMonth - 1]}`;
      }
      break;
  }
  if (opts.time) text += ` at ${opts.time}`;
  if (opts.mode === 'completion') text += ', counted from completion';
  if (rule.count) text += rule.count === 1 ? ', once' : `, ${rule.count} times`;
  if (rule.until) text += `, ${untilPhrase(rule.until)}`;
  return text;
}

export type PresetId = 'none' | 'daily' | 'weekdays' | 'weekly' | 'monthly' | 'yearly' | 'custom';

// The preset rules for a first due date (weekday and day of month taken from it).
export function presetRule(preset: PresetId, dueWeekday: number, dueDay: number): string | null {
  switch (preset) {
    case 'daily':
      return 'FREQ=DAILY';
    case 'weekdays':
      return `FREQ=WEEKLY;BYDAY=${WEEKDAYS_SET}`;
    case 'weekly':
      return `FREQ=WEEKLY;BYDAY=${DAY_CODES[(dueWeekday + 6) % 7]}`;
    case 'monthly':
      return `FREQ=MONTHLY;BYMONTHDAY=${dueDay}`;
    case 'yearly':
      return 'FREQ=YEARLY';
    default:
      return null;
  }
}

// Which preset a rule is, ignoring COUNT/UNTIL; 'custom' for anything else.
export function presetOf(rrule: string | null, dueWeekday: number, dueDay: number): PresetId {
  if (!rrule) return 'none';
  const rule = parseRule(rrule);
  if (!rule) return 'custom';
  const core = buildRule({ ...rule, count: undefined, until: undefined });
  for (const p of ['daily', 'weekdays', 'weekly', 'monthly', 'yearly'] as const) {
    if (presetRule(p, dueWeekday, dueDay) === core) return p;
  }
  return 'custom';
}

// Replaces the end of a rule: never, after COUNT occurrences, or until a date (YYYY-MM-DD).
export function withEnd(
  rrule: string,
  end: { kind: 'never' } | { kind: 'count'; count: number } | { kind: 'until'; date: string },
): string {
  const rule = parseRule(rrule);
  if (!rule) return rrule;
  rule.count = end.kind === 'count' ? Math.max(1, Math.floor(end.count)) : undefined;
  rule.until = end.kind === 'until' ? end.date.replaceAll('-', '') + 'T235959Z' : undefined;
  return buildRule(rule);
}
