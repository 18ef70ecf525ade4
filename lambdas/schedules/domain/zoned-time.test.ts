import { describe, expect, it } from 'vitest';
import {
  addCivilDays,
  civilDateTimeAt,
  firstInstantAtOrAfterCivil,
  instantsForCivil,
  isKnownTimeZone,
  isoDayOfWeek,
  offsetMsAt,
} from './zoned-time';

const HOUR = 3_600_000;
const at = (year: number, month: number, day: number, hour = 0, minute = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
});

describe('zoned time', () => {
  it('reads the wall clock of an instant in a zone', () => {
    expect(civilDateTimeAt(new Date('2026-07-01T10:15:30Z'), 'Europe/Berlin')).toEqual({
      ...at(2026, 7, 1, 12, 15),
      second: 30,
    });
  });

  it('gives the offset east-positive, and it changes with DST', () => {
    expect(offsetMsAt(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(HOUR);
    expect(offsetMsAt(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(2 * HOUR);
    expect(offsetMsAt(Date.parse('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-4 * HOUR);
  });

  it('finds one instant for an ordinary local time', () => {
    expect(instantsForCivil(at(2026, 5, 4, 9, 30), 'Europe/Berlin')).toEqual([
      new Date('2026-05-04T07:30:00Z'),
    ]);
  });

  it('finds no instant for a local time inside the spring-forward gap', () => {
    expect(instantsForCivil(at(2026, 3, 8, 2, 30), 'America/New_York')).toEqual([]);
  });

  it('finds both instants, earliest first, for a local time in the repeated autumn hour', () => {
    expect(instantsForCivil(at(2026, 11, 1, 1, 30), 'America/New_York')).toEqual([
      new Date('2026-11-01T05:30:00Z'),
      new Date('2026-11-01T06:30:00Z'),
    ]);
  });

  it('resolves a skipped local time to the end of the gap', () => {
    expect(firstInstantAtOrAfterCivil(at(2026, 3, 8, 2, 30), 'America/New_York')).toEqual(
      new Date('2026-03-08T07:00:00Z'),
    );
  });

  it('resolves a local midnight that does not exist (Santiago springs forward at 00:00) to 01:00', () => {
    // Chile moves from UTC-4 to UTC-3 at local midnight on Sunday 2026-09-06.
    const start = firstInstantAtOrAfterCivil(at(2026, 9, 6), 'America/Santiago');

    expect(start).toEqual(new Date('2026-09-06T04:00:00Z'));
    expect(civilDateTimeAt(start, 'America/Santiago')).toEqual(at(2026, 9, 6, 1, 0));
  });

  it('does calendar arithmetic across month and year ends, leap days included', () => {
    expect(addCivilDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addCivilDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(addCivilDays({ year: 2027, month: 1, day: 3 }, -6)).toEqual({ year: 2026, month: 12, day: 28 });
  });

  it('numbers days the ISO way, Monday 1 to Sunday 7', () => {
    expect(isoDayOfWeek({ year: 2026, month: 3, day: 9 })).toBe(1);
    expect(isoDayOfWeek({ year: 2026, month: 3, day: 8 })).toBe(7);
  });

  it('knows real zone names and refuses made-up ones', () => {
    expect(isKnownTimeZone('Asia/Kolkata')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});
