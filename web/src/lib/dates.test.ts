import { describe, expect, it } from 'vitest';
import { formatDue, instantToWall, startOfDay, startOfWeek, todayIn, wallToInstant, zoneOffset } from './dates';

const ms = (iso: string) => Date.parse(iso);

describe('wall time and instants in a zone', () => {
  it('converts both ways', () => {
    const t = wallToInstant({ date: '2026-12-01', time: '09:00' }, 'Europe/Berlin');
    expect(new Date(t).toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(instantToWall(t, 'Europe/Berlin')).toEqual({ date: '2026-12-01', time: '09:00' });
    expect(instantToWall(t, 'America/New_York')).toEqual({ date: '2026-12-01', time: '03:00' });
  });

  it('keeps 09:00 across daylight saving time', () => {
    const summer = wallToInstant({ date: '2026-07-01', time: '09:00' }, 'Europe/Berlin');
    expect(new Date(summer).toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(zoneOffset(summer, 'Europe/Berlin')).toBe(2 * 3600e3);
  });

  it('moves a skipped time forward and takes the earlier of a repeated one', () => {
    // Berlin skips 02:00–03:00 on 2026-03-29 and repeats 02:00–03:00 on 2026-10-25.
    const gap = wallToInstant({ date: '2026-03-29', time: '02:30' }, 'Europe/Berlin');
    expect(new Date(gap).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    const twice = wallToInstant({ date: '2026-10-25', time: '02:30' }, 'Europe/Berlin');
    expect(new Date(twice).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it("gives today's date in the zone, not in UTC", () => {
    const lateUtc = Date.UTC(2026, 11, 1, 23, 30); // 1 Dec 23:30 UTC
    expect(todayIn('UTC', lateUtc)).toBe('2026-12-01');
    expect(todayIn('Pacific/Auckland', lateUtc)).toBe('2026-12-02');
    const earlyUtc = Date.UTC(2026, 11, 2, 1, 0); // 2 Dec 01:00 UTC
    expect(todayIn('America/Los_Angeles', earlyUtc)).toBe('2026-12-01');
  });

  it('finds the start of the day and of the week (Monday)', () => {
    const now = ms('2026-12-03T23:30:00Z'); // Friday 00:30 in Berlin
    expect(new Date(startOfDay(now, 'Europe/Berlin')).toISOString()).toBe('2026-12-03T23:00:00.000Z');
    expect(new Date(startOfDay(now, 'UTC')).toISOString()).toBe('2026-12-03T00:00:00.000Z');
    expect(new Date(startOfWeek(now, 'Europe/Berlin')).toISOString()).toBe('2026-11-29T23:00:00.000Z');
    expect(new Date(startOfWeek(now, 'UTC', 1)).toISOString()).toBe('2026-12-07T00:00:00.000Z');
  });
});

describe('formatDue', () => {
  const now = ms('2026-12-02T10:00:00Z'); // a Wednesday
  it.each([
    ['2026-12-02T08:00:00Z', 'Today 09:00'],
    ['2026-12-03T17:30:00Z', 'Tomorrow 18:30'],
    ['2026-12-01T08:00:00Z', 'Yesterday 09:00'],
    ['2026-12-11T08:00:00Z', 'Fri 11 Dec 09:00'],
    ['2027-01-05T08:00:00Z', '5 Jan 2027 09:00'],
  ])('%s is %s', (iso, text) => {
    expect(formatDue(iso, 'Europe/Berlin', now)).toBe(text);
  });
});
