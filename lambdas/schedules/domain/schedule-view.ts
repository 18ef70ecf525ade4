import type { ScheduleItem } from '../../shared/model';
import { dstNotices, nextRunTimes, type ScheduleSpec, toSchedulerExpression } from './schedule';
import { civilDateTimeAt, offsetMsAt } from './zoned-time';

/** A stored schedule as the domain reasons about it (its spec) and as the admin API shows it (its view). */

export const specOf = (item: ScheduleItem): ScheduleSpec =>
  item.kind === 'weekly'
    ? {
        kind: 'weekly',
        name: item.name,
        dayOfWeek: item.dayOfWeek as Extract<ScheduleSpec, { kind: 'weekly' }>['dayOfWeek'],
        time: item.time,
        timeZone: item.timeZone,
        enabled: item.enabled,
      }
    : {
        kind: 'monthly',
        name: item.name,
        dayOfMonth: item.dayOfMonth ?? 1,
        time: item.time,
        timeZone: item.timeZone,
        enabled: item.enabled,
      };

/** '2026-03-29T03:30:00+02:00': the instant as the schedule's zone shows it. */
export const localIso = (instant: Date, timeZone: string): string => {
  const civil = civilDateTimeAt(instant, timeZone);
  const offsetMinutes = Math.round(offsetMsAt(instant.getTime(), timeZone) / 60_000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return `${pad(civil.year, 4)}-${pad(civil.month)}-${pad(civil.day)}T${pad(civil.hour)}:${pad(civil.minute)}:${pad(civil.second)}${offset}`;
};

export interface ScheduleView {
  id: string;
  name: string;
  kind: 'weekly' | 'monthly';
  dayOfWeek?: string;
  dayOfMonth?: number;
  time: string;
  timeZone: string;
  enabled: boolean;
  expression: string;
  sync: ScheduleItem['sync'];
  syncError?: string;
  nextRuns: { at: string; local: string }[];
  dstNotices: { date: string; kind: string }[];
  createdAt: string;
  updatedAt: string;
}

export const toScheduleView = (item: ScheduleItem, now: Date): ScheduleView => {
  const spec = specOf(item);
  return {
    id: item.scheduleId,
    name: item.name,
    kind: item.kind,
    ...(item.kind === 'weekly' ? { dayOfWeek: item.dayOfWeek } : { dayOfMonth: item.dayOfMonth }),
    time: item.time,
    timeZone: item.timeZone,
    enabled: item.enabled,
    expression: toSchedulerExpression(spec),
    sync: item.sync,
    ...(item.syncError ? { syncError: item.syncError } : {}),
    nextRuns: nextRunTimes(spec, now, 3).map((at) => ({
      at: at.toISOString(),
      local: localIso(at, item.timeZone),
    })),
    dstNotices: dstNotices(spec, now),
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
};
