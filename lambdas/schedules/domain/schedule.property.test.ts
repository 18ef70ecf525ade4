import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAYS_OF_WEEK, nextRunTimes, parseScheduleInput, weekBounds, weekKey, weekStart } from './schedule';
import { civilDateTimeAt, instantsForCivil, isoDayOfWeek } from './zoned-time';

// Zones with the awkward cases: DST at 02:00 and 03:00, at midnight (Santiago), by 30 minutes (Lord Howe),
// a +12:45 offset (Chatham), southern-hemisphere summers, and none at all.
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kolkata',
];

const instant = fc.date({
  min: new Date('2025-01-01T00:00:00Z'),
  max: new Date('2027-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const twoDigits = (value: number) => String(value).padStart(2, '0');

const specArbitrary = fc
  .record({
    kind: fc.constantFrom('weekly', 'monthly'),
    dayOfWeek: fc.constantFrom(...DAYS_OF_WEEK),
    dayOfMonth: fc.integer({ min: 1, max: 28 }),
    // Hours 0-3 are over-weighted: that is where DST changes happen.
    hour: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 23 })),
    minute: fc.constantFrom(0, 15, 30, 45, 59),
    timeZone: fc.constantFrom(...ZONES),
  })
  .map(({ kind, dayOfWeek, dayOfMonth, hour, minute, timeZone }) =>
    parseScheduleInput({
      name: 'property',
      kind,
      ...(kind === 'weekly' ? { dayOfWeek } : { dayOfMonth }),
      time: `${twoDigits(hour)}:${twoDigits(minute)}`,
      timeZone,
    }),
  );

// Spring-forward days of 2026 (all Sundays) and the wall-clock minutes they skip.
const SPRING_GAPS = [
  { timeZone: 'America/New_York', day: 8, month: 3, from: 120, to: 179 },
  { timeZone: 'Europe/Berlin', day: 29, month: 3, from: 120, to: 179 },
  { timeZone: 'America/Santiago', day: 6, month: 9, from: 0, to: 59 },
  { timeZone: 'Australia/Lord_Howe', day: 4, month: 10, from: 120, to: 149 },
  { timeZone: 'Pacific/Chatham', day: 27, month: 9, from: 165, to: 224 },
];

const gapCase = fc.constantFrom(...SPRING_GAPS).chain((gap) =>
  fc.record({
    gap: fc.constant(gap),
    minuteOfDay: fc.integer({ min: gap.from, max: gap.to }),
    monthly: fc.boolean(),
    weeksBefore: fc.integer({ min: 0, max: 2 }),
  }),
);

describe('schedule properties', () => {
  it('never lists a run at a wall-clock time a DST change skipped: Scheduler skips that run', () => {
    fc.assert(
      fc.property(gapCase, ({ gap, minuteOfDay, monthly, weeksBefore }) => {
        const hour = Math.floor(minuteOfDay / 60);
        const minute = minuteOfDay % 60;
        const skipped = { year: 2026, month: gap.month, day: gap.day, hour, minute, second: 0 };
        const spec = parseScheduleInput({
          name: 'gap',
          kind: monthly && gap.day <= 28 ? 'monthly' : 'weekly',
          ...(monthly && gap.day <= 28 ? { dayOfMonth: gap.day } : { dayOfWeek: 'SUN' }),
          time: `${twoDigits(hour)}:${twoDigits(minute)}`,
          timeZone: gap.timeZone,
        });
        const from = new Date(Date.UTC(2026, gap.month - 1, gap.day - 7 * weeksBefore - 1));

        const runs = nextRunTimes(spec, from);

        expect(instantsForCivil(skipped, gap.timeZone)).toEqual([]); // the table is right: the time was skipped
        for (const run of runs) {
          const local = civilDateTimeAt(run, spec.timeZone);
          expect(`${twoDigits(local.hour)}:${twoDigits(local.minute)}`).toBe(spec.time);
          expect([local.month, local.day]).not.toEqual([gap.month, gap.day]);
        }
        expect(runs).toHaveLength(3);
      }),
      { numRuns: 200 },
    );
  });

  it('lists runs after the given instant, in order, each on the scheduled local day at the scheduled local time', () => {
    fc.assert(
      fc.property(specArbitrary, instant, (spec, from) => {
        const runs = nextRunTimes(spec, from);

        expect(runs).toHaveLength(3);
        expect(runs[0]?.getTime()).toBeGreaterThan(from.getTime());
        for (const [index, run] of runs.entries()) {
          if (index > 0)
            expect(run.getTime()).toBeGreaterThan(runs[index - 1]?.getTime() ?? Number.POSITIVE_INFINITY);
          const local = civilDateTimeAt(run, spec.timeZone);
          expect(`${twoDigits(local.hour)}:${twoDigits(local.minute)}`).toBe(spec.time);
          if (spec.kind === 'weekly') expect(DAYS_OF_WEEK[isoDayOfWeek(local) - 1]).toBe(spec.dayOfWeek);
          else expect(local.day).toBe(spec.dayOfMonth);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('puts every instant inside its own local week, which starts on a Monday and lasts about 168 hours', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (date, zone) => {
        const { key, start, end } = weekBounds(date, zone);
        const hours = (end.getTime() - start.getTime()) / 3_600_000;

        expect(start.getTime()).toBeLessThanOrEqual(date.getTime());
        expect(end.getTime()).toBeGreaterThan(date.getTime());
        expect(hours).toBeGreaterThanOrEqual(167);
        expect(hours).toBeLessThanOrEqual(169);
        expect(isoDayOfWeek(civilDateTimeAt(start, zone))).toBe(1);
        expect(weekKey(start, zone)).toBe(key);
        expect(weekKey(new Date(start.getTime() - 1), zone)).not.toBe(key);
        expect(weekKey(end, zone)).not.toBe(key);
        expect(weekStart(date, zone)).toEqual(start);
        expect(key).toMatch(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/);
      }),
      { numRuns: 500 },
    );
  });
});
