import { describe, expect, it } from 'vitest';
import { canSnooze, snoozeChoices, tomorrowAtNine } from './snooze';
import { task } from '../test/fixtures';

describe('snooze choices', () => {
  const now = Date.parse('2026-03-07T22:30:00Z');

  it('offers 10 minutes, 1 hour and tomorrow 9:00 in the task zone', () => {
    const c = snoozeChoices(now, 'Europe/Berlin');
    expect(c.map((x) => x.label)).toEqual(['10 minutes', '1 hour', 'Tomorrow 9:00']);
    expect(c[0]!.until).toBe('2026-03-07T22:40:00.000Z');
    expect(c[1]!.until).toBe('2026-03-07T23:30:00.000Z');
    // 23:30 in Berlin on the 7th: tomorrow is the 8th, 09:00 CET = 08:00Z.
    expect(c[2]!.until).toBe('2026-03-08T08:00:00.000Z');
  });

  it('uses the zone of the task, not UTC, for "tomorrow"', () => {
    // 22:30Z on the 7th is 17:30 in New York on the 7th: tomorrow is the 8th, a DST change day
    // (EDT from 02:00), so 09:00 is 13:00Z.
    expect(new Date(tomorrowAtNine(now, 'America/New_York')).toISOString()).toBe('2026-03-08T13:00:00.000Z');
    // 22:30Z is already the 8th in Tokyo: tomorrow is the 9th.
    expect(new Date(tomorrowAtNine(now, 'Asia/Tokyo')).toISOString()).toBe('2026-03-09T00:00:00.000Z');
  });

  it('is offered on a pending task with a reminder only', () => {
    expect(canSnooze(task({ reminders: [{ before_minutes: 10 }] }))).toBe(true);
    expect(canSnooze(task({ reminders: [] }))).toBe(false);
    expect(canSnooze(task({ reminders: [{ at: '2026-03-08T08:00:00Z' }], status: 'completed' }))).toBe(false);
  });
});
