import { describe, expect, it } from 'vitest';
import { buildRule, parseRule, presetOf, presetRule, summarize, withEnd } from './rrule';

describe('summarize', () => {
  it.each([
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10', { time: '09:00' }, 'Every weekday at 09:00, 10 times'],
    ['FREQ=DAILY', {}, 'Every day'],
    ['FREQ=DAILY;INTERVAL=2', {}, 'Every other day'],
    ['FREQ=DAILY;INTERVAL=3', { mode: 'completion' as const }, 'Every 3 days, counted from completion'],
    ['FREQ=WEEKLY;BYDAY=TH,MO', {}, 'Every Monday and Thursday'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', {}, 'Every 2 weeks on Monday and Wednesday'],
    ['FREQ=MONTHLY;BYMONTHDAY=1', { time: '09:00' }, 'Every month on the 1st at 09:00'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', {}, 'Every month on the last day'],
    ['FREQ=MONTHLY;BYDAY=-1FR', {}, 'Every month on the last Friday'],
    ['FREQ=MONTHLY;BYDAY=2TU', {}, 'Every month on the second Tuesday'],
    ['FREQ=YEARLY', { startMonth: 12, startDay: 24 }, 'Every year on 24 December'],
    ['FREQ=WEEKLY;UNTIL=20261231T235959Z', {}, 'Every week, until 31 Dec 2026'],
    ['FREQ=DAILY;COUNT=1', {}, 'Every day, once'],
  ])('%s', (rule, opts, text) => {
    expect(summarize(rule, opts)).toBe(text);
  });

  it('is null for what it cannot read', () => {
    expect(summarize('FREQ=HOURLY')).toBeNull();
    expect(summarize('BYDAY=MO')).toBeNull();
    expect(summarize('FREQ=WEEKLY;BYDAY=XX')).toBeNull();
  });
});

describe('parse and build', () => {
  it('round-trips and keeps parts it does not model', () => {
    const text = 'FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO;COUNT=5;BYSETPOS=1';
    const rule = parseRule(text);
    expect(rule).not.toBeNull();
    expect(rule?.count).toBe(5);
    expect(rule?.other).toEqual(['BYSETPOS=1']);
    expect(buildRule(rule!)).toBe('FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO;COUNT=5;BYSETPOS=1');
  });

  it('accepts an RRULE: prefix and lower case', () => {
    expect(parseRule('RRULE:freq=daily;interval=2')?.interval).toBe(2);
  });
});

describe('presets', () => {
  // A Wednesday the 14th.
  const wed = 3;
  it('take weekday and day of month from the due date', () => {
    expect(presetRule('weekly', wed, 14)).toBe('FREQ=WEEKLY;BYDAY=WE');
    expect(presetRule('monthly', wed, 14)).toBe('FREQ=MONTHLY;BYMONTHDAY=14');
    expect(presetRule('weekdays', wed, 14)).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR');
    expect(presetRule('weekly', 0, 1)).toBe('FREQ=WEEKLY;BYDAY=SU');
  });
  it('are recognised back, other rules are custom', () => {
    expect(presetOf('FREQ=WEEKLY;BYDAY=WE;COUNT=3', wed, 14)).toBe('weekly');
    expect(presetOf('FREQ=WEEKLY;BYDAY=TH', wed, 14)).toBe('custom');
    expect(presetOf(null, wed, 14)).toBe('none');
  });
  it('get an end replaced', () => {
    expect(withEnd('FREQ=DAILY;COUNT=3', { kind: 'until', date: '2027-01-31' })).toBe(
      'FREQ=DAILY;UNTIL=20270131T235959Z',
    );
    expect(withEnd('FREQ=DAILY;UNTIL=20270131', { kind: 'count', count: 4 })).toBe('FREQ=DAILY;COUNT=4');
    expect(withEnd('FREQ=DAILY;COUNT=4', { kind: 'never' })).toBe('FREQ=DAILY');
  });
});
