import { describe, expect, it } from 'vitest';
import { task } from '../test/fixtures';
import { draftFromTask, draftToInput, emptyDraft } from './taskDraft';

describe('the editor draft', () => {
  it('round-trips a task with due time, reminders and a preset rule with an end', () => {
    const t = task({
      title: 'Stand-up',
      due_at: '2026-12-02T08:30:00.000Z', // Wednesday 09:30 in Berlin
      time_zone: 'Europe/Berlin',
      reminders: [{ before_minutes: 120 }, { at: '2026-12-01T17:00:00.000Z' }],
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10', mode: 'schedule' },
      tags: ['work'],
      priority: 'high',
    });
    const d = draftFromTask(t, 'UTC');
    expect(d).toMatchObject({ dueDate: '2026-12-02', dueTime: '09:30', repeat: 'weekdays', end: 'count', count: 10 });
    expect(d.reminders).toEqual([
      { kind: 'before', amount: 2, unit: 'hours' },
      { kind: 'at', date: '2026-12-01', time: '18:00' },
    ]);
    expect(draftToInput(d)).toEqual({
      title: 'Stand-up',
      description: '',
      priority: 'high',
      tags: ['work'],
      due_at: '2026-12-02T08:30:00.000Z',
      time_zone: 'Europe/Berlin',
      reminders: [{ before_minutes: 120 }, { at: '2026-12-01T17:00:00.000Z' }],
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10', mode: 'schedule' },
    });
  });

  it('keeps a custom rule and its end apart', () => {
    const t = task({
      due_at: '2026-12-02T08:00:00.000Z',
      recurrence: { rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270131T235959Z', mode: 'completion' },
    });
    const d = draftFromTask(t, 'UTC');
    expect(d).toMatchObject({ repeat: 'custom', customRule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', end: 'until', until: '2027-01-31', mode: 'completion' });
    expect(draftToInput(d).recurrence).toEqual({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270131T235959Z', mode: 'completion' });
  });

  it('sends no recurrence without a due date, and null due when cleared', () => {
    const d = { ...emptyDraft('UTC'), title: ' Buy milk ', repeat: 'daily' as const };
    expect(draftToInput(d)).toMatchObject({ title: 'Buy milk', due_at: null, recurrence: null });
  });

  it('builds the weekly preset from the due date weekday', () => {
    const d = { ...emptyDraft('UTC'), title: 'x', dueDate: '2026-12-04', repeat: 'weekly' as const };
    expect(draftToInput(d).recurrence?.rrule).toBe('FREQ=WEEKLY;BYDAY=FR');
  });
});
