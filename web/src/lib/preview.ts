// The one-line summary of a quick-add parse result:
// "Pay rent · every month on the 1st at 09:00 · #home · high".
import type { Priority, QuickPreview } from '../api/types';
import { formatDue, instantToWall, zonedParts } from './dates';
import { summarize } from './rrule';

export function formatMinutesBefore(minutes: number): string {
  if (minutes === 0) return 'at the due time';
  if (minutes % 10080 === 0) return plural(minutes / 10080, 'week') + ' before';
  if (minutes % 1440 === 0) return plural(minutes / 1440, 'day') + ' before';
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour') + ' before';
  return `${minutes} min before`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

export function priorityLabel(p: Priority): string {
  return p === 'none' ? '' : p;
}

export function previewParts(p: QuickPreview, zone: string, now = Date.now()): string[] {
  const parts = [p.title];
  if (p.recurrence && p.due_at) {
    const ms = Date.parse(p.due_at);
    const wall = instantToWall(ms, zone);
    const start = zonedParts(ms, zone);
    const s = summarize(p.recurrence.rrule, {
      time: wall.time,
      mode: p.recurrence.mode,
      startMonth: start.month,
      startDay: start.day,
    });
    parts.push(s ? s.charAt(0).toLowerCase() + s.slice(1) : p.recurrence.rrule);
    parts.push('from ' + formatDue(p.due_at, zone, now));
  } else if (p.due_at) {
    parts.push(formatDue(p.due_at, zone, now));
  }
  for (const t of p.tags) parts.push('#' + t);
  if (p.priority !== 'none') parts.push(p.priority);
  for (const r of p.reminders) parts.push('remind ' + formatMinutesBefore(r.before_minutes));
  return parts;
}

export function previewText(p: QuickPreview, zone: string, now = Date.now()): string {
  return previewParts(p, zone, now).join(' · ');
}
