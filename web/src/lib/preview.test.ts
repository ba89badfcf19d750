import { describe, expect, it } from 'vitest';
import { formatMinutesBefore, previewText } from './preview';

describe('quick add preview', () => {
  const now = Date.parse('2026-11-27T10:00:00Z');
  it('reads like the issue example', () => {
    const text = previewText(
      {
        title: 'Pay rent',
        tags: ['home'],
        priority: 'high',
        due_at: '2026-12-01T08:00:00.000Z',
        recurrence: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', mode: 'schedule' },
        reminders: [],
      },
      'Europe/Berlin',
      now,
    );
    expect(text).toBe('Pay rent · every month on the 1st at 09:00 · from Tue 1 Dec 09:00 · #home · high');
  });

  it('shows a plain due date, reminders, and nothing for no priority', () => {
    const text = previewText(
      { title: 'Call mom', tags: [], priority: 'none', due_at: '2026-11-28T17:00:00.000Z', recurrence: null, reminders: [{ before_minutes: 30 }] },
      'UTC',
      now,
    );
    expect(text).toBe('Call mom · Tomorrow 17:00 · remind 30 min before');
  });

  it('names reminder offsets in the largest whole unit', () => {
    expect(formatMinutesBefore(0)).toBe('at the due time');
    expect(formatMinutesBefore(60)).toBe('1 hour before');
    expect(formatMinutesBefore(2880)).toBe('2 days before');
    expect(formatMinutesBefore(10080)).toBe('1 week before');
    expect(formatMinutesBefore(90)).toBe('90 min before');
  });
});
