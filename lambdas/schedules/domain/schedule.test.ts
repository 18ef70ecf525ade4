import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../shared/errors';
import {
  dstNotices,
  nextRunTimes,
  parseScheduleInput,
  type ScheduleSpec,
  toSchedulerExpression,
  validateScheduleInput,
  weekBounds,
  weekKey,
  weekStart,
} from './schedule';

const weeklyInput = {
  name: 'weekly-main',
  kind: 'weekly',
  dayOfWeek: 'MON',
  time: '09:30',
  timeZone: 'Europe/Berlin',
};

const monthlyInput = {
  name: 'monthly-top-up',
  kind: 'monthly',
  dayOfMonth: 15,
  time: '06:05',
  timeZone: 'America/New_York',
};

const errorsFor = (input: unknown) => {
  const result = validateScheduleInput(input);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.spec)}`);
  return result.errors;
};

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('schedule input validation', () => {
  it('accepts a weekly schedule and defaults enabled to true', () => {
    const spec = parseScheduleInput(weeklyInput);

    expect(spec).toEqual({ ...weeklyInput, kind: 'weekly', enabled: true });
  });

  it('accepts a monthly schedule, keeping an explicit enabled: false', () => {
    const spec = parseScheduleInput({ ...monthlyInput, enabled: false });

    expect(spec).toEqual({ ...monthlyInput, kind: 'monthly', enabled: false });
  });

  it('normalises the spelling of day names and zone names', () => {
    const spec = parseScheduleInput({ ...weeklyInput, dayOfWeek: 'fri', timeZone: 'europe/berlin' });

    expect(spec).toMatchObject({ dayOfWeek: 'FRI', timeZone: 'Europe/Berlin' });
  });

  it('keeps a current zone name that ICU would resolve to an old link', () => {
    expect(parseScheduleInput({ ...weeklyInput, timeZone: 'Asia/Kolkata' }).timeZone).toBe('Asia/Kolkata');
    expect(parseScheduleInput({ ...weeklyInput, timeZone: 'Europe/Kyiv' }).timeZone).toBe('Europe/Kyiv');
  });

  it('refuses an unknown time zone, naming it', () => {
    expect(errorsFor({ ...weeklyInput, timeZone: 'Mars/Olympus' })).toEqual([
      { field: 'timeZone', message: expect.stringContaining("'Mars/Olympus' is not a known IANA time zone") },
    ]);
  });

  it('refuses a UTC offset, which Intl knows but Scheduler does not take as a zone name', () => {
    expect(errorsFor({ ...weeklyInput, timeZone: '+01:00' })).toEqual([
      { field: 'timeZone', message: expect.stringContaining('not a known IANA time zone') },
    ]);
  });

  it('refuses day 31 of a monthly schedule and says why', () => {
    expect(errorsFor({ ...monthlyInput, dayOfMonth: 31 })).toEqual([
      {
        field: 'dayOfMonth',
        message: expect.stringMatching(/must be 1-28, got 31: days 29-31 do not exist in every month/),
      },
    ]);
  });

  it.each([
    ['25:00', "hour 25 is out of range 00-23 in '25:00'"],
    ['09:60', "minute 60 is out of range 00-59 in '09:60'"],
    ['9:30', "must be 'HH:MM' in 24-hour form (for example '09:30'), got '9:30'"],
    ['09:30:00', "must be 'HH:MM' in 24-hour form (for example '09:30'), got '09:30:00'"],
  ])('refuses the time %s', (time, message) => {
    expect(errorsFor({ ...weeklyInput, time })).toEqual([{ field: 'time', message }]);
  });

  it('reports every missing field at once', () => {
    const fields = errorsFor({}).map((error) => [error.field, error.message]);

    expect(fields).toEqual([
      ['name', 'is required'],
      ['kind', 'is required'],
      ['time', 'is required'],
      ['timeZone', 'is required'],
    ]);
  });

  it('requires the day field that matches the kind and refuses the other one', () => {
    const { dayOfWeek: _dropped, ...withoutDay } = weeklyInput;

    expect(errorsFor(withoutDay)).toEqual([
      { field: 'dayOfWeek', message: 'is required for a weekly schedule' },
    ]);
    expect(errorsFor({ ...monthlyInput, dayOfWeek: 'MON' })).toEqual([
      { field: 'dayOfWeek', message: 'is not allowed in a monthly schedule' },
    ]);
  });

  it('refuses a day number, naming the accepted day names', () => {
    expect(errorsFor({ ...weeklyInput, dayOfWeek: 1 })).toEqual([
      { field: 'dayOfWeek', message: 'must be one of MON, TUE, WED, THU, FRI, SAT, SUN, got 1' },
    ]);
  });

  it('names an unknown field instead of ignoring it', () => {
    expect(errorsFor({ ...weeklyInput, timezone: 'UTC' })).toEqual([
      { field: 'timezone', message: expect.stringContaining('is not a schedule field') },
    ]);
  });

  it('refuses a body that is not an object', () => {
    expect(errorsFor(null)).toEqual([{ field: '', message: 'the schedule must be a JSON object' }]);
  });

  it('refuses a schedule name EventBridge Scheduler would not take', () => {
    expect(errorsFor({ ...weeklyInput, name: 'weekly main!' })[0]?.field).toBe('name');
    expect(errorsFor({ ...weeklyInput, name: 'x'.repeat(65) })[0]?.field).toBe('name');
  });

  it('throws a 400 whose message names each bad field and whose details list them', () => {
    const act = () => parseScheduleInput({ ...weeklyInput, time: '25:00', timeZone: 'Nowhere/Land' });

    expect(act).toThrow(BadRequestError);
    expect(act).toThrow(
      /^Invalid schedule: time: hour 25 is out of range.*; timeZone: 'Nowhere\/Land' is not/,
    );
    try {
      act();
    } catch (error) {
      expect((error as BadRequestError).statusCode).toBe(400);
      expect((error as BadRequestError).details).toEqual({
        errors: [expect.objectContaining({ field: 'time' }), expect.objectContaining({ field: 'timeZone' })],
      });
    }
  });
});

describe('toSchedulerExpression', () => {
  it('writes a weekly spec with ? in day-of-month and the day name in day-of-week', () => {
    expect(toSchedulerExpression(parseScheduleInput(weeklyInput))).toBe('cron(30 9 ? * MON *)');
  });

  it('writes a monthly spec with ? in day-of-week', () => {
    expect(toSchedulerExpression(parseScheduleInput(monthlyInput))).toBe('cron(5 6 15 * ? *)');
  });

  it('writes midnight as zeros, without leading zeros', () => {
    const spec = parseScheduleInput({ ...weeklyInput, dayOfWeek: 'SUN', time: '00:00' });

    expect(toSchedulerExpression(spec)).toBe('cron(0 0 ? * SUN *)');
  });
});

describe('nextRunTimes', () => {
  it('gives the next three runs in the schedule zone, strictly after the given instant', () => {
    const spec = parseScheduleInput(weeklyInput);

    // Monday 2026-03-02 09:30 in Berlin (CET, UTC+1) is 08:30Z: that very instant is not "next".
    const runs = nextRunTimes(spec, new Date('2026-03-02T08:30:00Z'));

    expect(iso(runs)).toEqual([
      '2026-03-09T08:30:00.000Z',
      '2026-03-16T08:30:00.000Z',
      '2026-03-23T08:30:00.000Z',
    ]);
  });

  it('keeps the local time across the March change in Berlin (the UTC time moves by an hour)', () => {
    const spec = parseScheduleInput(weeklyInput);

    const runs = nextRunTimes(spec, new Date('2026-03-20T00:00:00Z'));

    // Berlin moves to CEST on Sunday 2026-03-29.
    expect(iso(runs)).toEqual([
      '2026-03-23T08:30:00.000Z',
      '2026-03-30T07:30:00.000Z',
      '2026-04-06T07:30:00.000Z',
    ]);
  });

  it('skips a Sunday 02:30 New York run on the spring-forward day, as EventBridge Scheduler does', () => {
    const spec = parseScheduleInput({
      ...weeklyInput,
      dayOfWeek: 'SUN',
      time: '02:30',
      timeZone: 'America/New_York',
    });

    const runs = nextRunTimes(spec, new Date('2026-02-28T00:00:00Z'));

    // 2026-03-08 02:30 does not exist in New York (02:00 EST jumps to 03:00 EDT).
    expect(iso(runs)).toEqual([
      '2026-03-01T07:30:00.000Z',
      '2026-03-15T06:30:00.000Z',
      '2026-03-22T06:30:00.000Z',
    ]);
  });

  it('runs a Sunday 01:30 New York schedule once on the fall-back day, at the first 01:30', () => {
    const spec = parseScheduleInput({
      ...weeklyInput,
      dayOfWeek: 'SUN',
      time: '01:30',
      timeZone: 'America/New_York',
    });

    const runs = nextRunTimes(spec, new Date('2026-10-30T00:00:00Z'));

    // 2026-11-01 01:30 happens twice (EDT, then EST); the run is the EDT one, 05:30Z.
    expect(iso(runs)).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-08T06:30:00.000Z',
      '2026-11-15T06:30:00.000Z',
    ]);
  });

  it('runs a Sunday 02:30 Berlin schedule through the October change at the same wall-clock time', () => {
    const spec = parseScheduleInput({ ...weeklyInput, dayOfWeek: 'SUN', time: '02:30' });

    const runs = nextRunTimes(spec, new Date('2026-10-20T00:00:00Z'));

    // 2026-10-25 02:30 happens twice in Berlin; the first (CEST) is 00:30Z.
    expect(iso(runs)).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-11-01T01:30:00.000Z',
      '2026-11-08T01:30:00.000Z',
    ]);
  });

  it('gives monthly runs on the chosen day', () => {
    const spec = parseScheduleInput(monthlyInput);

    const runs = nextRunTimes(spec, new Date('2026-01-20T00:00:00Z'), 4);

    expect(iso(runs)).toEqual([
      '2026-02-15T11:05:00.000Z',
      '2026-03-15T10:05:00.000Z',
      '2026-04-15T10:05:00.000Z',
      '2026-05-15T10:05:00.000Z',
    ]);
  });

  it('gives no runs for a disabled schedule', () => {
    const spec = parseScheduleInput({ ...weeklyInput, enabled: false });

    expect(nextRunTimes(spec, new Date('2026-03-02T00:00:00Z'))).toEqual([]);
  });
});

describe('dstNotices', () => {
  it('warns that a Sunday 02:30 New York schedule gets no run on the spring-forward day', () => {
    const spec = parseScheduleInput({
      ...weeklyInput,
      dayOfWeek: 'SUN',
      time: '02:30',
      timeZone: 'America/New_York',
    });

    expect(dstNotices(spec, new Date('2026-01-01T00:00:00Z'))).toEqual([
      { date: '2026-03-08', kind: 'skipped' },
    ]);
  });

  it('notes the repeated hour on the fall-back day', () => {
    const spec = parseScheduleInput({
      ...weeklyInput,
      dayOfWeek: 'SUN',
      time: '01:30',
      timeZone: 'America/New_York',
    });

    expect(dstNotices(spec, new Date('2026-01-01T00:00:00Z'))).toEqual([
      { date: '2026-11-01', kind: 'repeated-time-runs-once' },
    ]);
  });

  it('has nothing to say about a daytime schedule', () => {
    const spec: ScheduleSpec = parseScheduleInput(weeklyInput);

    expect(dstNotices(spec, new Date('2026-01-01T00:00:00Z'))).toEqual([]);
  });
});

describe('weekKey and weekStart', () => {
  it.each([
    ['2026-01-01T12:00:00Z', 'UTC', '2026-W01'], // a Thursday: week 1 holds the year's first Thursday
    ['2025-12-29T00:00:00Z', 'UTC', '2026-W01'], // the Monday of that week is still in 2025
    ['2026-12-31T12:00:00Z', 'UTC', '2026-W53'], // 2026 starts on a Thursday, so it has 53 weeks
    ['2027-01-03T23:59:59Z', 'UTC', '2026-W53'], // a Sunday: still last year's week
    ['2027-01-04T00:00:00Z', 'UTC', '2027-W01'],
    ['2024-12-30T00:00:00Z', 'UTC', '2025-W01'],
    ['2021-01-03T12:00:00Z', 'UTC', '2020-W53'],
  ])('%s in %s is week %s', (instant, zone, expected) => {
    expect(weekKey(new Date(instant), zone)).toBe(expected);
  });

  it('uses the local date: late Sunday in UTC is already Monday in Berlin, and still Sunday in New York', () => {
    const instant = new Date('2027-01-03T23:30:00Z');

    expect(weekKey(instant, 'UTC')).toBe('2026-W53');
    expect(weekKey(instant, 'Europe/Berlin')).toBe('2027-W01');
    expect(weekKey(new Date('2027-01-04T03:00:00Z'), 'America/New_York')).toBe('2026-W53');
  });

  it('starts the week at local Monday midnight', () => {
    expect(weekStart(new Date('2026-03-12T12:00:00Z'), 'Europe/Berlin').toISOString()).toBe(
      '2026-03-08T23:00:00.000Z',
    );
    expect(weekStart(new Date('2026-03-12T12:00:00Z'), 'UTC').toISOString()).toBe('2026-03-09T00:00:00.000Z');
  });

  it('gives a week holding the spring change 167 hours and one holding the autumn change 169', () => {
    // Berlin changes on Sundays 2026-03-29 and 2026-10-25, the last days of their ISO weeks.
    const spring = weekBounds(new Date('2026-03-25T12:00:00Z'), 'Europe/Berlin');
    const autumn = weekBounds(new Date('2026-10-21T12:00:00Z'), 'Europe/Berlin');
    const hours = (bounds: { start: Date; end: Date }) =>
      (bounds.end.getTime() - bounds.start.getTime()) / 3_600_000;

    expect(spring).toEqual({
      key: '2026-W13',
      start: new Date('2026-03-22T23:00:00Z'),
      end: new Date('2026-03-29T22:00:00Z'),
    });
    expect(hours(spring)).toBe(167);
    expect(hours(autumn)).toBe(169);
  });

  it('puts a Sunday-night run just after the change in the same week as the Monday before it', () => {
    const mondayMorning = new Date('2026-03-02T08:30:00Z');
    const sundayAfterChange = new Date('2026-03-09T02:00:00Z'); // 22:00 EDT Sunday, clocks went forward today

    expect(weekKey(sundayAfterChange, 'America/New_York')).toBe(weekKey(mondayMorning, 'America/New_York'));
    expect(weekKey(sundayAfterChange, 'UTC')).not.toBe(weekKey(mondayMorning, 'UTC'));
  });
});
