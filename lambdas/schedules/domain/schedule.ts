import { Cron } from 'croner';
import { BadRequestError } from '../../shared/errors';
import * as z from '../../shared/zod';
import {
  addCivilDays,
  type CivilDate,
  civilDateTimeAt,
  firstInstantAtOrAfterCivil,
  instantsForCivil,
  isKnownTimeZone,
  isoDayOfWeek,
  TIME_ZONE_NAME,
} from './zoned-time';

/**
 * Distribution schedules: what an admin may ask for, how it becomes an EventBridge Scheduler
 * `cron(...)` expression, when it will run next, and which week a run belongs to.
 *
 * Day of week is written as a name (MON ... SUN), never a number: cron counts Sunday as 0, EventBridge
 * as 1 and ISO 8601 counts Monday as 1, so a number would be read three ways.
 */

export const DAYS_OF_WEEK = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

/** Days 29-31 are refused: not every month has them, and EventBridge skips a month that lacks the day. */
export const LAST_ALLOWED_DAY_OF_MONTH = 28;

interface ScheduleCommon {
  name: string;
  /** 24-hour wall-clock time in `timeZone`, 'HH:MM'. */
  time: string;
  /** IANA zone name, as Intl resolves it (for example 'Europe/Berlin'). */
  timeZone: string;
  enabled: boolean;
}

export interface WeeklyScheduleSpec extends ScheduleCommon {
  kind: 'weekly';
  dayOfWeek: DayOfWeek;
}

export interface MonthlyScheduleSpec extends ScheduleCommon {
  kind: 'monthly';
  /** 1-28. */
  dayOfMonth: number;
}

export type ScheduleSpec = WeeklyScheduleSpec | MonthlyScheduleSpec;

/** One thing wrong with a schedule input: the field (dotted path, '' for the whole body) and why. */
export interface ScheduleFieldError {
  field: string;
  message: string;
}

const describe = (value: unknown): string =>
  typeof value === 'string' ? `'${value}'` : JSON.stringify(value);

const requiredError =
  (expectation: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : `must be ${expectation}, got ${describe(issue.input)}`;

// EventBridge Scheduler's own rule for schedule names: 1-64 of [0-9a-zA-Z-_.].
const NAME_PATTERN = /^[0-9A-Za-z._-]{1,64}$/;
const TIME_SHAPE = /^(\d{2}):(\d{2})$/;

const nameField = z.string({ error: requiredError('a string') }).check(
  z.refine((name: string) => NAME_PATTERN.test(name), {
    message: 'must be 1-64 characters of letters, digits, dot, hyphen or underscore',
  }),
);

const timeField = z.string({ error: requiredError("a string 'HH:MM'") }).check(
  z.superRefine((time: string, ctx) => {
    const match = TIME_SHAPE.exec(time);
    if (!match) {
      ctx.addIssue({
        code: 'custom',
        message: `must be 'HH:MM' in 24-hour form (for example '09:30'), got '${time}'`,
      });
      return;
    }
    const [hours, minutes] = [Number(match[1]), Number(match[2])];
    if (hours > 23)
      ctx.addIssue({ code: 'custom', message: `hour ${match[1]} is out of range 00-23 in '${time}'` });
    if (minutes > 59)
      ctx.addIssue({ code: 'custom', message: `minute ${match[2]} is out of range 00-59 in '${time}'` });
  }),
);

/**
 * Intl's spelling when it is the admin's name in another case ('europe/berlin' -> 'Europe/Berlin', which
 * Scheduler accepts); otherwise the name as given, because ICU resolves current names to old links
 * ('Asia/Kolkata' -> 'Asia/Calcutta') and an admin should see the zone they chose.
 */
const canonicalZoneSpelling = (zone: string) => {
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
};

const timeZoneField = z.pipe(
  z.string({ error: requiredError("an IANA time zone name such as 'Europe/Berlin'") }).check(
    z.refine((zone: string) => TIME_ZONE_NAME.test(zone) && isKnownTimeZone(zone), {
      error: (issue) =>
        `${describe(issue.input)} is not a known IANA time zone (for example 'Europe/Berlin', 'UTC')`,
    }),
  ),
  z.transform(canonicalZoneSpelling),
);

const dayOfWeekField = z.pipe(
  z.pipe(
    z.string({ error: requiredError(`one of ${DAYS_OF_WEEK.join(', ')}`) }),
    z.transform((day: string) => day.toUpperCase()),
  ),
  z.enum(DAYS_OF_WEEK, {
    error: (issue) => `must be one of ${DAYS_OF_WEEK.join(', ')}, got ${describe(issue.input)}`,
  }),
);

const dayOfMonthField = z.number({ error: requiredError('a whole number 1-28') }).check(
  z.int({ error: (issue) => `must be a whole number, got ${describe(issue.input)}` }),
  z.minimum(1, { error: (issue) => `must be 1 or more, got ${describe(issue.input)}` }),
  z.maximum(LAST_ALLOWED_DAY_OF_MONTH, {
    error: (issue) =>
      `must be 1-${LAST_ALLOWED_DAY_OF_MONTH}, got ${describe(issue.input)}: days 29-31 do not exist in every month, ` +
      'and a month without the day would get no run',
  }),
);

/**
 * The body an admin sends to create or replace a schedule. `dayOfWeek` (MON-SUN, any case) goes with
 * `kind: 'weekly'`, `dayOfMonth` (1-28) with `kind: 'monthly'`; `enabled` defaults to true.
 */
export const ScheduleInputSchema = z.pipe(
  z
    .strictObject({
      name: nameField,
      kind: z.enum(['weekly', 'monthly'], { error: requiredError("'weekly' or 'monthly'") }),
      dayOfWeek: z.optional(dayOfWeekField),
      dayOfMonth: z.optional(dayOfMonthField),
      time: timeField,
      timeZone: timeZoneField,
      enabled: z._default(z.boolean({ error: requiredError('true or false') }), true),
    })
    .check(
      z.superRefine((input, ctx) => {
        if (input.kind === 'weekly') {
          if (input.dayOfWeek === undefined)
            ctx.addIssue({
              code: 'custom',
              path: ['dayOfWeek'],
              message: 'is required for a weekly schedule',
            });
          if (input.dayOfMonth !== undefined)
            ctx.addIssue({
              code: 'custom',
              path: ['dayOfMonth'],
              message: 'is not allowed in a weekly schedule',
            });
        } else {
          if (input.dayOfMonth === undefined)
            ctx.addIssue({
              code: 'custom',
              path: ['dayOfMonth'],
              message: 'is required for a monthly schedule',
            });
          if (input.dayOfWeek !== undefined)
            ctx.addIssue({
              code: 'custom',
              path: ['dayOfWeek'],
              message: 'is not allowed in a monthly schedule',
            });
        }
      }),
    ),
  z.transform((input): ScheduleSpec => {
    const common = { name: input.name, time: input.time, timeZone: input.timeZone, enabled: input.enabled };
    // The refinement above guarantees the day field of the chosen kind is present.
    return input.kind === 'weekly'
      ? { ...common, kind: 'weekly', dayOfWeek: input.dayOfWeek ?? 'MON' }
      : { ...common, kind: 'monthly', dayOfMonth: input.dayOfMonth ?? 1 };
  }),
);

/** Field errors for a schedule input, or the parsed spec. Never throws. */
export const validateScheduleInput = (
  input: unknown,
): { ok: true; spec: ScheduleSpec } | { ok: false; errors: ScheduleFieldError[] } => {
  const parsed = ScheduleInputSchema.safeParse(input);
  if (parsed.success) return { ok: true, spec: parsed.data };
  return { ok: false, errors: parsed.error.issues.flatMap(toFieldErrors) };
};

const KNOWN_FIELDS = Object.keys(ScheduleInputSchema.def.in.shape).join(', ');

const toFieldErrors = (issue: z.core.$ZodIssue): ScheduleFieldError[] => {
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({
      field: key,
      message: `is not a schedule field (known: ${KNOWN_FIELDS})`,
    }));
  if (issue.code === 'invalid_type' && issue.path.length === 0)
    return [{ field: '', message: 'the schedule must be a JSON object' }];
  return [{ field: issue.path.join('.'), message: issue.message }];
};

/**
 * The schedule spec, or a BadRequestError (400) whose message names every bad field and why, e.g.
 * "Invalid schedule: time: hour 25 is out of range 00-23 in '25:00'". `details` lists the same errors.
 */
export const parseScheduleInput = (input: unknown): ScheduleSpec => {
  const result = validateScheduleInput(input);
  if (result.ok) return result.spec;
  const summary = result.errors
    .map(({ field, message }) => (field === '' ? message : `${field}: ${message}`))
    .join('; ');
  throw new BadRequestError(`Invalid schedule: ${summary}`, { errors: result.errors });
};

const hourAndMinute = (time: string): { hour: number; minute: number } => {
  const match = TIME_SHAPE.exec(time);
  if (!match) throw new RangeError(`Schedule time must be 'HH:MM', got '${time}'`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
};

/**
 * The EventBridge Scheduler expression for the spec, to pair with `ScheduleExpressionTimezone = timeZone`.
 * Scheduler's cron has six fields (minutes hours day-of-month month day-of-week year) and wants `?` in
 * whichever of day-of-month / day-of-week is not given. Weekly 09:30 Monday: `cron(30 9 ? * MON *)`;
 * monthly 06:05 on the 15th: `cron(5 6 15 * ? *)`.
 */
export const toSchedulerExpression = (spec: ScheduleSpec): string => {
  const { hour, minute } = hourAndMinute(spec.time);
  return spec.kind === 'weekly'
    ? `cron(${minute} ${hour} ? * ${spec.dayOfWeek} *)`
    : `cron(${minute} ${hour} ${spec.dayOfMonth} * ? *)`;
};

/** The same schedule as a five-field croner pattern. */
const toCronerPattern = (spec: ScheduleSpec): string => {
  const { hour, minute } = hourAndMinute(spec.time);
  return spec.kind === 'weekly'
    ? `${minute} ${hour} * * ${spec.dayOfWeek}`
    : `${minute} ${hour} ${spec.dayOfMonth} * *`;
};

/**
 * The next `count` times (strictly after `from`) at which EventBridge Scheduler will run the schedule, in
 * the schedule's zone; none for a disabled schedule.
 *
 * Croner and Scheduler agree except on a DST spring-forward day: when the wall-clock time does not exist
 * that day, croner runs at the end of the gap but Scheduler skips the run, so such runs are dropped here.
 * On a fall-back day both run once, at the first of the two occurrences.
 */
export const nextRunTimes = (spec: ScheduleSpec, from: Date, count = 3): Date[] => {
  if (!spec.enabled || count <= 0) return [];
  const { hour, minute } = hourAndMinute(spec.time);
  const cron = new Cron(toCronerPattern(spec), { timezone: spec.timeZone });
  const runs: Date[] = [];
  let cursor: Date | null = from;
  // A skipped run is at most one per DST change, so a few extra steps always suffice.
  for (let attempts = 0; runs.length < count && attempts < count + 8; attempts += 1) {
    cursor = cron.nextRun(cursor);
    if (!cursor) break;
    const local = civilDateTimeAt(cursor, spec.timeZone);
    if (local.hour === hour && local.minute === minute) runs.push(cursor);
  }
  return runs;
};

/**
 * The latest run time at or before `at` (the run that should have happened last), with the same DST rule as
 * `nextRunTimes`; undefined for a disabled schedule.
 */
export const previousRunTime = (spec: ScheduleSpec, at: Date): Date | undefined => {
  if (!spec.enabled) return undefined;
  const { hour, minute } = hourAndMinute(spec.time);
  const cron = new Cron(toCronerPattern(spec), { timezone: spec.timeZone });
  // croner's previousRuns excludes the reference instant itself; a second later includes a run exactly at `at`.
  return cron.previousRuns(3, new Date(at.getTime() + 1_000)).find((run) => {
    const local = civilDateTimeAt(run, spec.timeZone);
    return local.hour === hour && local.minute === minute;
  });
};

/** A scheduled day on which a DST change moves the run: skipped (time does not exist) or ambiguous. */
export interface DstNotice {
  /** Local date 'YYYY-MM-DD' in the schedule's zone. */
  date: string;
  kind: 'skipped' | 'repeated-time-runs-once';
}

const civilDateString = (date: CivilDate): string =>
  `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;

/**
 * Scheduled days within `horizonDays` after `from` on which a DST change affects the run, so the API can
 * warn an admin who picked, say, Sunday 02:30 in America/New_York that one week a year gets no run.
 */
export const dstNotices = (spec: ScheduleSpec, from: Date, horizonDays = 366): DstNotice[] => {
  const { hour, minute } = hourAndMinute(spec.time);
  const start = civilDateTimeAt(from, spec.timeZone);
  const notices: DstNotice[] = [];
  for (let offset = 0; offset <= horizonDays; offset += 1) {
    const date = addCivilDays(start, offset);
    const scheduled =
      spec.kind === 'weekly'
        ? isoDayOfWeek(date) === DAYS_OF_WEEK.indexOf(spec.dayOfWeek) + 1
        : date.day === spec.dayOfMonth;
    if (!scheduled) continue;
    const instants = instantsForCivil({ ...date, hour, minute, second: 0 }, spec.timeZone);
    if (instants.length === 0) notices.push({ date: civilDateString(date), kind: 'skipped' });
    if (instants.length > 1) notices.push({ date: civilDateString(date), kind: 'repeated-time-runs-once' });
  }
  return notices;
};

const weekMondayOf = (date: Date, timeZone: string): CivilDate => {
  const local = civilDateTimeAt(date, timeZone);
  return addCivilDays(local, 1 - isoDayOfWeek(local));
};

/**
 * ISO 8601 week id ('2026-W48') of the local date of `date` in `timeZone`. Weeks start on Monday; week 1
 * is the one holding the year's first Thursday, so 2026-12-31 (a Thursday) is '2026-W53' and
 * 2027-01-01 is '2026-W53' too.
 */
export const weekKey = (date: Date, timeZone: string): string => {
  const monday = weekMondayOf(date, timeZone);
  const thursday = addCivilDays(monday, 3);
  const firstOfYear = Date.UTC(thursday.year, 0, 1);
  const dayOfYear = Math.round(
    (Date.UTC(thursday.year, thursday.month - 1, thursday.day) - firstOfYear) / 86_400_000,
  );
  const week = Math.floor(dayOfYear / 7) + 1;
  return `${thursday.year}-W${String(week).padStart(2, '0')}`;
};

/** The instant the local week of `date` began: Monday 00:00 in `timeZone` (or the first instant of Monday). */
export const weekStart = (date: Date, timeZone: string): Date =>
  firstInstantAtOrAfterCivil({ ...weekMondayOf(date, timeZone), hour: 0, minute: 0, second: 0 }, timeZone);

/**
 * The local week holding `date`: its key and the half-open range [start, end) of instants, for a query
 * like "leads this member received this week". A DST change makes a week 167 or 169 hours long.
 */
export const weekBounds = (date: Date, timeZone: string): { key: string; start: Date; end: Date } => {
  const monday = weekMondayOf(date, timeZone);
  const midnight = { hour: 0, minute: 0, second: 0 };
  return {
    key: weekKey(date, timeZone),
    start: firstInstantAtOrAfterCivil({ ...monday, ...midnight }, timeZone),
    end: firstInstantAtOrAfterCivil({ ...addCivilDays(monday, 7), ...midnight }, timeZone),
  };
};

/** The keys of the `count` weeks before the one `date` falls in, newest first. */
export const precedingWeekKeys = (date: Date, timeZone: string, count: number): string[] => {
  const keys: string[] = [];
  let start = weekBounds(date, timeZone).start;
  for (let index = 0; index < count; index += 1) {
    const earlier = weekBounds(new Date(start.getTime() - 1), timeZone);
    keys.push(earlier.key);
    start = earlier.start;
  }
  return keys;
};
