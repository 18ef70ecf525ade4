import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Context } from 'aws-lambda';
import { ulid } from 'ulid';
import { dynamoDistributionStores } from '../../distribution/adapters/dynamo-stores';
import { SesNotifier } from '../../distribution/adapters/ses-notifier';
import { RunRequestSchema, type RunSummary } from '../../distribution/domain/run';
import { powertoolsRunMetrics } from '../../distribution/metrics';
import type { Notifier, RunOutcomeMetrics } from '../../distribution/ports';
import { Distributor } from '../../distribution/run/distributor';
import { distributionSettingsFromEnv } from '../../distribution/settings';
import { MemberStore } from '../../members/member-store';
import { awsClientConfig } from '../../shared/aws';
import { realSleep, type Sleep } from '../../shared/backoff';
import { createDocumentClient, type DocumentClient } from '../../shared/dynamo';
import { type Env, readEnv, tablesFromEnv } from '../../shared/env';
import { createLogger } from '../../shared/logger';
import * as z from '../../shared/zod';

const DistributionEnvSchema = z.object({
  SES_SENDER: z.email(),
  SES_MAX_SEND_RATE: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000)),
  SES_CONFIGURATION_SET: z.string().check(z.minLength(1)),
  LEADS_URL: z.url(),
});

/** What tests (and the benchmark) may swap: clients, clock, sleep, metrics sink. */
export interface DistributionOverrides {
  readonly doc?: DocumentClient;
  readonly notifier?: Notifier;
  readonly metrics?: RunOutcomeMetrics;
  readonly now?: () => Date;
  readonly sleep?: Sleep;
}

/**
 * The distribution function: invoked by EventBridge Scheduler (a recurring schedule, or the one-time
 * schedule behind "run now"). The event is the schedule's input with Scheduler's context attributes filled
 * in. A malformed event throws, so after Lambda's retries it lands in the dead-letter queue, visible.
 */
export const createHandler = (env: Env, overrides: DistributionOverrides = {}) => {
  const config = readEnv(DistributionEnvSchema, env);
  const settings = distributionSettingsFromEnv(env);
  const logger = createLogger(env);
  const doc = overrides.doc ?? createDocumentClient(env);
  const sleep = overrides.sleep ?? realSleep;
  const now = overrides.now ?? (() => new Date());
  const tables = tablesFromEnv(env, 'uploads', 'members', 'control');
  const members = new MemberStore({
    doc,
    membersTable: tables.members,
    controlTable: tables.control,
    tiers: settings.tiers,
    now,
  });
  const notifier =
    overrides.notifier ??
    new SesNotifier({
      // Our notifier is the one retry layer for SES (it paces to the send rate and backs off on throttling).
      ses: new SESv2Client({ ...awsClientConfig(env, 'SES'), maxAttempts: 1 }),
      sender: config.SES_SENDER,
      configurationSet: config.SES_CONFIGURATION_SET,
      leadsUrl: config.LEADS_URL,
      maxSendRatePerSecond: config.SES_MAX_SEND_RATE,
      sleep,
      nowMs: () => now().getTime(),
      logger,
    });
  const distributor = new Distributor(
    {
      ...dynamoDistributionStores(doc, tables, sleep),
      members,
      notifier,
      metrics: overrides.metrics ?? powertoolsRunMetrics(env),
      logger,
      now,
      sleep,
      newId: ulid,
    },
    settings,
  );

  return async (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<RunSummary> => {
    const parsed = RunRequestSchema.safeParse(event);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      logger.error('distribution event refused', { problems });
      throw new Error(`Invalid distribution event: ${problems.join('; ')}`);
    }
    const remainingMs = () => context?.getRemainingTimeInMillis() ?? 15 * 60_000;
    return distributor.run(parsed.data, remainingMs);
  };
};
