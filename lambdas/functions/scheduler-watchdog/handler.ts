import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { METRICS_NAMESPACE, serviceOf, WATCHDOG_METRICS } from '../../contracts/metrics';
import {
  deadLetterQueuesFromEnv,
  healthSettingsFromEnv,
  readSchedulerSnapshot,
} from '../../schedules/adapters/scheduler-snapshot';
import {
  assessSchedulerHealth,
  type SchedulerHealth,
  type Verdict,
} from '../../schedules/domain/scheduler-health';
import { awsClientConfig } from '../../shared/aws';
import { createDocumentClient, type DocumentClient } from '../../shared/dynamo';
import { type Env, readEnv, tablesFromEnv } from '../../shared/env';
import { createLogger } from '../../shared/logger';
import { GLOBAL_COUNTERS_KEY } from '../../shared/model';
import { weeksOfSupply } from '../../shared/supply';

const WatchdogEnvSchema = z.object({});

export const VERDICT_LEVEL: Readonly<Record<Verdict, number>> = { healthy: 0, degraded: 1, failing: 2 };

export interface WatchdogReading {
  readonly health: SchedulerHealth;
  readonly supplyWeeksLeft?: number;
}

/** Where the readings go: CloudWatch (EMF) in AWS; tests pass a recorder. */
export type WatchdogMetrics = (reading: WatchdogReading) => void;

export const powertoolsWatchdogMetrics = (env: Env): WatchdogMetrics => {
  const metrics = new Metrics({
    namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
    serviceName: env.POWERTOOLS_SERVICE_NAME ?? serviceOf('scheduler-watchdog'),
  });
  const disabled = env.POWERTOOLS_METRICS_DISABLED === 'true';
  return ({ health, supplyWeeksLeft }) => {
    if (disabled) return;
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

export interface WatchdogOverrides {
  readonly doc?: DocumentClient;
  readonly sqs?: Pick<SQSClient, 'send'>;
  readonly metrics?: WatchdogMetrics;
  readonly now?: () => Date;
}

/**
 * The scheduler watchdog, run every few minutes by an EventBridge rule: the same assessment as
 * GET /admin/scheduler/health, published as metrics. Alarms then see an overdue schedule even when no run
 * ever starts to report anything, and a watchdog that stops publishing is itself an alarm (missing data).
 */
export const createHandler = (env: Env, overrides: WatchdogOverrides = {}) => {
  const _config = readEnv(WatchdogEnvSchema, env);
  const tables = tablesFromEnv(env, 'control');
  const settings = healthSettingsFromEnv(env);
  const logger = createLogger(env);
  const doc = overrides.doc ?? createDocumentClient(env);
  const sqs = overrides.sqs ?? new SQSClient(awsClientConfig(env, 'SQS'));
  const publish = overrides.metrics ?? powertoolsWatchdogMetrics(env);
  const now = overrides.now ?? (() => new Date());
  const deadLetterQueues = deadLetterQueuesFromEnv(env);

  return async (): Promise<{
    verdict: Verdict;
    overdueSchedules: number;
    supplyWeeksLeft: number | null;
  }> => {
    const [snapshot, counters] = await Promise.all([
      readSchedulerSnapshot({ doc, sqs, controlTable: tables.control, deadLetterQueues, now }),
      doc.send(new GetCommand({ TableName: tables.control, Key: GLOBAL_COUNTERS_KEY })),
    ]);
    const health = assessSchedulerHealth(snapshot, settings);
    const supplyWeeksLeft = weeksOfSupply(
      Number(counters.Item?.leadsAvailable ?? 0),
      Number(counters.Item?.weeklyDemand ?? 0),
    );
    publish({ health, ...(supplyWeeksLeft === undefined ? {} : { supplyWeeksLeft }) });
    const log = health.verdict === 'healthy' ? logger.info.bind(logger) : logger.warn.bind(logger);
    log('scheduler assessed', { verdict: health.verdict, reasons: health.reasons });
    return {
      verdict: health.verdict,
      overdueSchedules: health.overdueSchedules,
      supplyWeeksLeft: supplyWeeksLeft ?? null,
    };
  };
};
