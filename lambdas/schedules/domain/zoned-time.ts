/**
 * Wall-clock arithmetic in an IANA time zone, built on Intl only (no Temporal in Node 24 yet).
 *
 * A local date and time can map to one instant, two (DST fall back repeats an hour) or none (DST spring
 * forward skips an hour). Callers choose what to do with each case; nothing here guesses silently.
 */

/** A calendar date with no time zone: month 1-12, day 1-31. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** A calendar date and wall-clock time with no time zone. */
export interface CivilDateTime extends CivilDate {
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;

// Building an Intl.DateTimeFormat costs far more than using one; a distribution run asks about the same
// handful of zones thousands of times. This memo holds no state beyond the formatters themselves.
const formatterByZone = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatterByZone.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatterByZone.set(timeZone, formatter);
  }
  return formatter;
};

/** The wall-clock date and time shown in `timeZone` at `instant`. Throws RangeError for an unknown zone. */
export const civilDateTimeAt = (instant: Date | number, timeZone: string): CivilDateTime => {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? Number.NaN,
    month: fields.month ?? Number.NaN,
    day: fields.day ?? Number.NaN,
    hour: fields.hour ?? Number.NaN,
    minute: fields.minute ?? Number.NaN,
    second: fields.second ?? Number.NaN,
  };
};

/** Milliseconds since the epoch of a civil date-time read as if it were UTC. */
export const civilToUtcMs = (civil: CivilDate & Partial<CivilDateTime>): number =>
  Date.UTC(civil.year, civil.month - 1, civil.day, civil.hour ?? 0, civil.minute ?? 0, civil.second ?? 0);

/** The zone's offset from UTC at `instant`, in milliseconds (east positive: Berlin in winter = +3_600_000). */
export const offsetMsAt = (instant: number, timeZone: string): number => {
  const wholeSecond = Math.floor(instant / 1000) * 1000;
  return civilToUtcMs(civilDateTimeAt(wholeSecond, timeZone)) - wholeSecond;
};

/**
 * Every instant at which the wall clock in `timeZone` shows `civil`, earliest first: one normally, two in a
 * repeated (fall-back) hour, none in a skipped (spring-forward) hour.
 */
export const instantsForCivil = (civil: CivilDateTime, timeZone: string): Date[] => {
  const asUtc = civilToUtcMs(civil);
  // No zone changes its offset twice within two days, so the offsets a day either side cover every
  // candidate (the approach Temporal's GetPossibleEpochNanoseconds takes).
  const candidateOffsets = new Set([
    offsetMsAt(asUtc - DAY_MS, timeZone),
    offsetMsAt(asUtc + DAY_MS, timeZone),
  ]);
  const instants: number[] = [];
  for (const offset of candidateOffsets) {
    const instant = asUtc - offset;
    if (offsetMsAt(instant, timeZone) === offset) instants.push(instant);
  }
  return instants.sort((a, b) => a - b).map((instant) => new Date(instant));
};

/**
 * The first instant whose wall clock in `timeZone` reads `civil` or later on that day. Equals the earliest
 * of `instantsForCivil` when the time exists; inside a skipped hour it is the end of the gap (so local
 * midnight that does not exist, as in America/Santiago, resolves to 01:00, the day's real start).
 */
export const firstInstantAtOrAfterCivil = (civil: CivilDateTime, timeZone: string): Date => {
  const existing = instantsForCivil(civil, timeZone)[0];
  if (existing) return existing;
  const asUtc = civilToUtcMs(civil);
  const offsetBefore = offsetMsAt(asUtc - DAY_MS, timeZone);
  const offsetAfter = offsetMsAt(asUtc + DAY_MS, timeZone);
  // The gap's end lies between these two readings; bisect on "has the new offset begun".
  let low = asUtc - offsetAfter;
  let high = asUtc - offsetBefore;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetMsAt(middle, timeZone) === offsetAfter) high = middle;
    else low = middle;
  }
  return new Date(high);
};

/** `date` moved by whole calendar days (negative goes back). */
export const addCivilDays = (date: CivilDate, days: number): CivilDate => {
  const moved = new Date(civilToUtcMs(date) + days * DAY_MS);
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
};

/** ISO day of week: Monday 1 ... Sunday 7. */
export const isoDayOfWeek = (date: CivilDate): number => {
  const sundayZero = new Date(civilToUtcMs(date)).getUTCDay();
  return sundayZero === 0 ? 7 : sundayZero;
};

// IANA names are words joined by '/'. Intl also accepts offsets such as '+01:00', which Scheduler refuses.
export const TIME_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** Whether `timeZone` is a name Intl knows. */
export const isKnownTimeZone = (timeZone: string): boolean => {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
};
