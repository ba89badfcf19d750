// The snooze choices of a task (as the reminder mail offers them): 10 minutes, 1 hour, and
// tomorrow 9:00 in the task's own zone (DST-correct), as instants for POST /api/tasks/{id}/snooze.
import type { Task } from '../api/types';
import { startOfDay, toIso, wallToInstant, instantToWall } from './dates';

export interface SnoozeChoice {
  label: string;
  until: string; // RFC 3339
}

export function tomorrowAtNine(nowMs: number, zone: string): number {
  const tomorrow = instantToWall(startOfDay(nowMs, zone, 1) + 12 * 3600e3, zone).date;
  return wallToInstant({ date: tomorrow, time: '09:00' }, zone);
}

export function snoozeChoices(nowMs: number, zone: string): SnoozeChoice[] {
  return [
    { label: '10 minutes', until: toIso(nowMs + 10 * 60e3) },
    { label: '1 hour', until: toIso(nowMs + 3600e3) },
    { label: 'Tomorrow 9:00', until: toIso(tomorrowAtNine(nowMs, zone)) },
  ];
}

// Snooze is offered on a pending task that has a reminder.
export function canSnooze(task: Task): boolean {
  return task.status === 'pending' && task.reminders.length > 0;
}
