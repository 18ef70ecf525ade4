import { describe, expect, it } from 'vitest';
import { forecastSupply, type UpcomingRun } from './forecast';

const DAY = 86_400_000;
const NOW = new Date('2026-10-05T08:00:00Z'); // a Monday
const WEEK_START = new Date('2026-10-05T00:00:00Z');
const weekly = (count: number): UpcomingRun[] =>
  Array.from({ length: count }, (_, index) => ({
    scheduleId: 'weekly',
    name: 'Weekly',
    at: new Date(WEEK_START.getTime() + index * 7 * DAY + 9 * 3_600_000),
    weekEnd: new Date(WEEK_START.getTime() + (index + 1) * 7 * DAY),
  }));
const monthly: UpcomingRun[] = [
  // Thursday 1 October's week ended on the 5th; the next runs fall on 2 November and 2 December.
  {
    scheduleId: 'monthly',
    name: 'Monthly',
    at: new Date('2026-11-02T09:00:00Z'),
    weekEnd: new Date('2026-11-09T00:00:00Z'),
  },
  {
    scheduleId: 'monthly',
    name: 'Monthly',
    at: new Date('2026-12-02T09:00:00Z'),
    weekEnd: new Date('2026-12-07T00:00:00Z'),
  },
];

describe('forecastSupply', () => {
  it('finds the weekly run the supply first falls short at, and by how much', () => {
    const forecast = forecastSupply({
      runs: weekly(8),
      available: 250,
      leadsInVerification: 0,
      weeklyDemand: 100,
      accruedThrough: WEEK_START,
      now: NOW,
    });
    expect(forecast?.firstShortRun).toMatchObject({
      scheduleId: 'weekly',
      owed: 100,
      available: 50,
      short: 50,
    });
    expect(forecast?.firstShortRun?.at).toBe('2026-10-19T09:00:00.000Z');
    expect(forecast?.weeksUntilShort).toBe(2.01);
  });

  it('takes a monthly cadence as the weeks each run serves: five weeks of demand at the first run', () => {
    const forecast = forecastSupply({
      runs: monthly,
      available: 450,
      leadsInVerification: 100,
      weeklyDemand: 100,
      accruedThrough: WEEK_START,
      now: NOW,
    });
    expect(forecast?.firstShortRun).toMatchObject({
      scheduleId: 'monthly',
      owed: 500,
      available: 450,
      short: 50,
    });
    // Counting the leads in verification, the first run is covered and the second (four weeks) falls short.
    expect(forecast?.withVerification.firstShortRun).toMatchObject({ owed: 400, available: 50, short: 350 });
    expect(forecast?.leadsInVerification).toBe(100);
  });

  it('says nothing falls short when the supply covers every run given, and nothing without runs or demand', () => {
    const input = {
      runs: weekly(2),
      available: 1_000,
      leadsInVerification: 0,
      weeklyDemand: 100,
      accruedThrough: WEEK_START,
      now: NOW,
    };
    expect(forecastSupply(input)).toMatchObject({ weeksUntilShort: null, firstShortRun: null });
    expect(forecastSupply({ ...input, runs: [] })).toBeNull();
    expect(forecastSupply({ ...input, weeklyDemand: 0 })).toBeNull();
  });
});
