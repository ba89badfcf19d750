import { describe, expect, it } from 'vitest';
import { actorName, eventVerb, showValue, shownChanges } from './HistoryPanel';

describe('history formatting', () => {
  it('names events and actors', () => {
    expect(eventVerb('tickler.task.completed.v1')).toBe('Completed');
    expect(eventVerb('something.else')).toBe('something.else');
    expect(actorName('user:4', 4)).toBe('you');
    expect(actorName('recurrer', 4)).toBe('Tickler (next occurrence)');
    expect(actorName('token:CI script', 4)).toBe('API token “CI script”');
    expect(actorName('token:', 4)).toBe('API token “”');
    expect(actorName('mcp:Claude Desktop', 4)).toBe('Claude Desktop (MCP)');
    expect(actorName('assistant (gpt-4o-mini)', 4)).toBe('assistant (gpt-4o-mini)');
    expect(actorName('user:5', 4)).toBe('user:5');
  });

  it('shows values the way the rest of the UI does', () => {
    expect(showValue('title', null)).toBe('—');
    expect(showValue('tags', ['home', 'work'])).toBe('#home #work');
    expect(showValue('reminders', [{ before_minutes: 30 }])).toBe('30 min before');
    expect(showValue('recurrence', { rrule: 'FREQ=DAILY', mode: 'schedule' })).toBe('Every day');
    expect(showValue('due_at', '2026-12-01T08:00:00.000Z')).toMatch(/1 Dec 2026/);
  });

  it('keeps the fields people edit, in order, without empty ones', () => {
    const shown = shownChanges({
      id: { before: null, after: 8 },
      priority: { before: 'low', after: 'high' },
      title: { before: 'a', after: 'b' },
      tags: { before: null, after: [] },
      series_id: { before: null, after: 8 },
    });
    expect(shown.map(([f]) => f)).toEqual(['title', 'priority']);
  });
});
