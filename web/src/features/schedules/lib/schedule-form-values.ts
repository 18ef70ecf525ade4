import type { Schedule, ScheduleInput } from '../api/schedules';

export const DAYS = [
  ['MON', 'Monday'],
  ['TUE', 'Tuesday'],
  ['WED', 'Wednesday'],
  ['THU', 'Thursday'],
  ['FRI', 'Friday'],
  ['SAT', 'Saturday'],
  ['SUN', 'Sunday'],
] as const;

export type Day = (typeof DAYS)[number][0];

/** What the form edits: every field as the inputs hold it. */
export interface ScheduleFormValues {
  name: string;
  kind: 'weekly' | 'monthly';
  dayOfWeek: Day;
  dayOfMonth: string;
  time: string;
  timeZone: string;
  enabled: boolean;
}

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Every IANA zone the browser knows, UTC first (some browsers leave it out of the list). */
export const timeZoneChoices = (): string[] => {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((zone) => zone !== 'UTC')];
};

export const emptyScheduleForm = (): ScheduleFormValues => ({
  name: '',
  kind: 'weekly',
  dayOfWeek: 'MON',
  dayOfMonth: '1',
  time: '09:00',
  timeZone: browserTimeZone(),
  enabled: true,
});

export const scheduleFormFrom = (schedule: Schedule): ScheduleFormValues => ({
  name: schedule.name,
  kind: schedule.kind,
  dayOfWeek: schedule.dayOfWeek ?? 'MON',
  dayOfMonth: String(schedule.dayOfMonth ?? 1),
  time: schedule.time,
  timeZone: schedule.timeZone,
  enabled: schedule.enabled,
});

/** The body the API takes: only the day field of the chosen kind; a non-number day goes as typed, to be refused. */
export const scheduleInputFrom = (values: ScheduleFormValues): ScheduleInput => {
  const common = { name: values.name, time: values.time, timeZone: values.timeZone, enabled: values.enabled };
  return values.kind === 'weekly'
    ? { ...common, kind: 'weekly', dayOfWeek: values.dayOfWeek }
    : { ...common, kind: 'monthly', dayOfMonth: Number(values.dayOfMonth) };
};

/** "Weekly on Monday at 09:00 (Europe/Berlin)". */
export const describeSchedule = (schedule: Schedule): string => {
  const day =
    schedule.kind === 'weekly'
      ? `on ${DAYS.find(([code]) => code === schedule.dayOfWeek)?.[1] ?? schedule.dayOfWeek}`
      : `on day ${schedule.dayOfMonth}`;
  return `${schedule.kind === 'weekly' ? 'Weekly' : 'Monthly'} ${day} at ${schedule.time} (${schedule.timeZone})`;
};
