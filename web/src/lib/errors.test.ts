import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/client';
import { plainError, titleProblem } from './errors';

const refused = (field: string, problem: string, extra: Record<string, unknown> = {}) =>
  new ApiError(422, 'validation_failed', `${field}: ${problem}`, { field, problem, ...extra });

describe('plainError', () => {
  it('says what the API refused without field names', () => {
    expect(plainError(refused('title', 'must be 1–200 characters after trimming', { length: 231, max: 200 }))).toBe(
      'The title is too long (231 of 200 characters).',
    );
    expect(plainError(refused('title', 'must be 1–200 characters after trimming', { length: 0, max: 200 }))).toBe(
      'The task needs a title.',
    );
    expect(plainError(refused('recurrence', 'a recurring task needs a due_at to start from'))).toBe(
      'A repeating task needs a due date. Set one, or choose “Does not repeat”.',
    );
    expect(plainError(refused('quick', 'needs a title besides tags and priority'))).toBe(
      'Type what the task is, not only tags and a priority.',
    );
    expect(plainError(refused('time_zone', "unknown IANA time zone 'Mars/Base'"))).toMatch(/^That time zone is unknown/);
    expect(plainError(refused('tags', 'at most 20 tags per task'))).toBe('Tags: at most 20 tags per task.');
    expect(plainError(refused('title', 'must not contain control characters'))).toBe(
      'The title must not contain control characters.',
    );
  });

  it('keeps messages that are already words', () => {
    expect(plainError(new NetworkError())).toBe('Cannot reach Tickler. Check your connection.');
    expect(plainError(new ApiError(404, 'not_found', 'task not found'))).toBe('task not found');
    expect(plainError('?', 'Could not save.')).toBe('Could not save.');
  });

  it('titleProblem counts characters against 200', () => {
    expect(titleProblem(200)).toBeNull();
    expect(titleProblem(201)).toBe('The title is too long (201 of 200 characters).');
  });
});
