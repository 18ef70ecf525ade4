import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { distributionSettingsFromEnv } from '../../distribution/settings';
import { SesFeedbackEventSchema } from '../../email-feedback/domain/ses-event';
import { powertoolsFeedbackMetrics } from '../../email-feedback/metrics';
import { type FeedbackMetrics, recordSesFeedback } from '../../email-feedback/record-feedback';
import { MemberStore } from '../../members/member-store';
import { createDocumentClient } from '../../shared/dynamo';
import { type Env, tablesFromEnv } from '../../shared/env';
import { createLogger } from '../../shared/logger';
import * as z from '../../shared/zod';

export interface EmailFeedbackOverrides {
  readonly doc?: DynamoDBDocumentClient;
  readonly metrics?: FeedbackMetrics & { publish(): void };
  readonly now?: () => Date;
}

/**
 * The email-feedback function: an EventBridge rule hands it the bounce and complaint events SES publishes
 * for the configuration set every notification is sent with. A malformed event throws, so EventBridge's
 * retries and then the rule's dead-letter queue keep it visible.
 */
export const createHandler = (env: Env, overrides: EmailFeedbackOverrides = {}) => {
  const tables = tablesFromEnv(env, 'members', 'control');
  const logger = createLogger(env);
  const members = new MemberStore({
    doc: overrides.doc ?? createDocumentClient(env),
    membersTable: tables.members,
    controlTable: tables.control,
    // The member's tier and quota are recounted with every change, so it reads the tiers the runs use.
    tiers: distributionSettingsFromEnv(env).tiers,
    now: overrides.now ?? (() => new Date()),
  });
  const metrics = overrides.metrics ?? powertoolsFeedbackMetrics(env);
  return async (event: unknown) => {
    const parsed = SesFeedbackEventSchema.safeParse(event);
    if (!parsed.success)
      throw new Error(`not an SES bounce or complaint event: ${z.prettifyError(parsed.error)}`);
    try {
      return await recordSesFeedback({ members, metrics, logger }, parsed.data);
    } finally {
      metrics.publish();
    }
  };
};
