import { SQSClient } from '@aws-sdk/client-sqs';
import {
  deadLetterQueuesFromEnv,
  healthSettingsFromEnv,
  readSchedulerSnapshot,
} from '../../schedules/adapters/scheduler-snapshot';
import { assessSchedulerHealth, type Verdict } from '../../schedules/domain/scheduler-health';
import { powertoolsWatchdogMetrics, type WatchdogMetrics } from '../../schedules/metrics';
import { awsClientConfig } from '../../shared/aws';
import { readCounters } from '../../shared/counters';
import { createDocumentClient, type DocumentClient } from '../../shared/dynamo';
import { type Env, tablesFromEnv } from '../../shared/env';
import { createLogger } from '../../shared/logger';
import { GLOBAL_COUNTERS_KEY } from '../../shared/model';
import { weeksOfSupply } from '../../shared/supply';

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
      readCounters(doc, tables.control, GLOBAL_COUNTERS_KEY),
    ]);
    const health = assessSchedulerHealth(snapshot, settings);
    const supplyWeeksLeft = weeksOfSupply(
      Number(counters.leadsAvailable ?? 0),
      Number(counters.weeklyDemand ?? 0),
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
