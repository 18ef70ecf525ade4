import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { WATCHDOG_METRICS } from '../contracts/metrics';
import type { Env } from '../shared/env';
import { createMetrics } from '../shared/metrics';
import type { SchedulerHealth, Verdict } from './domain/scheduler-health';

export const VERDICT_LEVEL: Readonly<Record<Verdict, number>> = { healthy: 0, degraded: 1, failing: 2 };

export interface WatchdogReading {
  readonly health: SchedulerHealth;
  readonly supplyWeeksLeft?: number;
}

/** Where the readings go: CloudWatch (EMF) in AWS; tests pass a recorder. */
export type WatchdogMetrics = (reading: WatchdogReading) => void;

export const powertoolsWatchdogMetrics = (env: Env): WatchdogMetrics => {
  const metrics = createMetrics(env, 'scheduler-watchdog');
  return ({ health, supplyWeeksLeft }) => {
    if (!metrics) return;
    metrics.addMetric(WATCHDOG_METRICS.overdueSchedules, MetricUnit.Count, health.overdueSchedules);
    metrics.addMetric(WATCHDOG_METRICS.schedulerVerdict, MetricUnit.NoUnit, VERDICT_LEVEL[health.verdict]);
    const age = health.heartbeat?.ageSeconds;
    if (age !== null && age !== undefined)
      metrics.addMetric(WATCHDOG_METRICS.heartbeatAgeSeconds, MetricUnit.Seconds, age);
    if (supplyWeeksLeft !== undefined)
      metrics.addMetric(WATCHDOG_METRICS.supplyWeeksLeft, MetricUnit.NoUnit, supplyWeeksLeft);
    metrics.publishStoredMetrics();
  };
};
