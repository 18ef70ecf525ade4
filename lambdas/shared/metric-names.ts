/**
 * The custom CloudWatch metrics of the app, in one place: the functions publish them (Powertools EMF, namespace
 * `METRICS_NAMESPACE`, dimension `service` = `proleads-<function folder>`) and the monitoring construct graphs
 * and alarms on them. Import-free, so the CDK app and every bundle can share it.
 */
export const METRICS_NAMESPACE = 'Proleads';

/** The `service` dimension Powertools gives every metric of a function folder. */
export const serviceOf = (folder: string) => `proleads-${folder}`;

/** Published by the scheduler watchdog every few minutes, from the same assessment as GET /admin/scheduler/health. */
export const WATCHDOG_METRICS = {
  /** Enabled schedules whose latest due run has not succeeded within the slack. Alarm: >= 1, or no data. */
  overdueSchedules: 'OverdueSchedules',
  /** 0 healthy, 1 degraded, 2 failing. */
  schedulerVerdict: 'SchedulerVerdict',
  /** Seconds since the distribution's last heartbeat (absent before the first run). */
  heartbeatAgeSeconds: 'HeartbeatAgeSeconds',
  /** Weeks of supply left at the current weekly demand (absent while there is no demand). */
  supplyWeeksLeft: 'SupplyWeeksLeft',
} as const;
