import { SQSClient } from '@aws-sdk/client-sqs';
import { distributionSettingsFromEnv } from '../../distribution/settings';
import {
  deadLetterQueuesFromEnv,
  healthSettingsFromEnv,
  readSchedulerSnapshot,
  type SnapshotDeps,
} from '../../schedules/adapters/scheduler-snapshot';
import { assessSchedulerHealth, type HealthSettings } from '../../schedules/domain/scheduler-health';
import { awsClientConfig } from '../../shared/aws';
import type { DocumentClient } from '../../shared/dynamo';
import { type Env, readEnv, tablesFromEnv } from '../../shared/env';
import { json, parseQuery, type RouteHandler } from '../../shared/http';
import type { RunItem } from '../../shared/model';
import * as z from '../../shared/zod';
import { heartbeatView, runView } from './distributions';
import { type OverviewDeps, readOverview } from './overview';
import { NoQuerySchema } from './schemas';

const PipelineStatusEnvSchema = z.object({});

const failureView = (run: RunItem) => ({
  runId: run.runId,
  trigger: run.trigger,
  ...(run.scheduleId ? { scheduleId: run.scheduleId } : {}),
  startedAt: run.startedAt,
  endedAt: run.endedAt ?? null,
  error: run.error ?? null,
});

export const statusRoutes = (
  overview: OverviewDeps,
  snapshot: SnapshotDeps,
  settings: HealthSettings,
): Record<string, RouteHandler> => ({
  'GET /admin/overview': async ({ event }) => {
    parseQuery(NoQuerySchema, event);
    return json(200, await readOverview(overview));
  },
  'GET /admin/scheduler/health': async ({ event }) => {
    parseQuery(NoQuerySchema, event);
    const current = await readSchedulerSnapshot(snapshot);
    const health = assessSchedulerHealth(current, settings);
    return json(200, {
      ...health,
      heartbeat: health.heartbeat
        ? { ...heartbeatView(health.heartbeat), ageSeconds: health.heartbeat.ageSeconds }
        : null,
      runs: current.recentRuns.map(runView),
      failures: current.failures.map(failureView),
    });
  },
});

/** The overview and the scheduler health, wired from the admin API's environment. */
export const createStatusRoutes = (env: Env, doc: DocumentClient): Record<string, RouteHandler> => {
  const _config = readEnv(PipelineStatusEnvSchema, env);
  const tables = tablesFromEnv(env, 'uploads', 'control');
  const settings = distributionSettingsFromEnv(env);
  const now = () => new Date();
  return statusRoutes(
    {
      doc,
      tables: { uploads: tables.uploads, control: tables.control },
      tiers: settings.tiers,
      timeZone: settings.defaultTimeZone,
      now,
    },
    {
      doc,
      sqs: new SQSClient(awsClientConfig(env, 'SQS')),
      controlTable: tables.control,
      deadLetterQueues: deadLetterQueuesFromEnv(env),
      now,
    },
    healthSettingsFromEnv(env),
  );
};
