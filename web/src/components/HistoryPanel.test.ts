import { describe, expect, it } from 'vitest';
import { eventVerb, showValue } from './HistoryPanel';

describe('history formatting', () => {
  it('names events and values', () => {
    expect(eventVerb('tickler.task.completed.v1')).toBe('Completed');
    expect(eventVerb('something.else')).toBe('something.else');
    expect(showValue(null)).toBe('—');
    expect(showValue(['home', 'work'])).toBe('home, work');
    expect(showValue('high')).toBe('high');
    expect(showValue('2026-12-01T08:00:00.000Z')).toMatch(/1 Dec 2026/);
  });
});
