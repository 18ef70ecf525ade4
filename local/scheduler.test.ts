import { describe, expect, it } from 'vitest';
import { occurrences, toCronerPattern } from './scheduler';

const at = (iso: string) => Date.parse(iso);
const iso = (times: number[]) => times.map((time) => new Date(time).toISOString());

describe('the local Scheduler reads EventBridge cron', () => {
  it('turns six fields with ? and 1-7 = SUN-SAT into croner five fields with 0-6', () => {
    expect(toCronerPattern('cron(30 9 ? * MON *)')).toBe('30 9 * * MON');
    expect(toCronerPattern('cron(5 6 15 * ? *)')).toBe('5 6 15 * *');
    expect(toCronerPattern('cron(0 8 ? * 2-6 *)')).toBe('0 8 * * 1-5');
    expect(toCronerPattern('cron(0 8 ? * 1,7 *)')).toBe('0 8 * * 0,6');
    expect(toCronerPattern('cron(4 21 ? * WED *)')).toBe('4 21 * * WED');
    expect(toCronerPattern('cron(0 8 ? * MON-FRI *)')).toBe('0 8 * * MON-FRI');
  });

  it.each([
    'cron(0 8 * *)',
    'rate(5 minutes)',
    'cron(0 8 ? * MON 2027)',
    'cron(0 8 L * ? *)',
    'cron(0 8 ? * 6#3 *)',
  ])('refuses %s as a ValidationException', (expression) => {
    expect(() => toCronerPattern(expression)).toThrow(/Invalid|supports|does not support/);
  });
});

describe('occurrences', () => {
  const newYork = (expression: string) => ({
    ScheduleExpression: expression,
    ScheduleExpressionTimezone: 'America/New_York',
  });

  it('fires a weekly schedule at its wall-clock time in the zone, on both sides of a DST change', () => {
    const runs = occurrences(
      newYork('cron(0 9 ? * SUN *)'),
      at('2027-03-01T00:00:00Z'),
      at('2027-03-22T00:00:00Z'),
    );
    expect(iso(runs)).toEqual([
      '2027-03-07T14:00:00.000Z',
      '2027-03-14T13:00:00.000Z',
      '2027-03-21T13:00:00.000Z',
    ]);
  });

  it('skips a time the spring-forward change removes, as Scheduler does, and runs once on the repeated hour', () => {
    const spring = occurrences(
      newYork('cron(30 2 ? * SUN *)'),
      at('2027-03-06T00:00:00Z'),
      at('2027-03-22T00:00:00Z'),
    );
    expect(iso(spring)).toEqual(['2027-03-07T07:30:00.000Z', '2027-03-21T06:30:00.000Z']);
    const autumn = occurrences(
      newYork('cron(30 1 ? * SUN *)'),
      at('2027-11-06T00:00:00Z'),
      at('2027-11-08T00:00:00Z'),
    );
    expect(iso(autumn)).toEqual(['2027-11-07T05:30:00.000Z']);
  });

  it('fires an at() schedule once, at its local time', () => {
    const once = {
      ScheduleExpression: 'at(2026-12-01T09:00:00)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    };
    expect(iso(occurrences(once, at('2026-11-01T00:00:00Z'), at('2026-12-31T00:00:00Z')))).toEqual([
      '2026-12-01T08:00:00.000Z',
    ]);
    expect(occurrences(once, at('2026-12-01T08:00:00Z'), at('2026-12-31T00:00:00Z'))).toEqual([]);
  });
});
