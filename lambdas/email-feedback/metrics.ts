import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { EMAIL_FEEDBACK_METRICS } from '../contracts/metrics';
import type { Env } from '../shared/env';
import { createMetrics } from '../shared/metrics';
import type { AddressFeedbackKind } from './domain/ses-event';
import type { FeedbackMetrics } from './record-feedback';

const METRIC_OF: Record<AddressFeedbackKind, string> = {
  'hard-bounce': EMAIL_FEEDBACK_METRICS.hardBounces,
  'soft-bounce': EMAIL_FEEDBACK_METRICS.softBounces,
  complaint: EMAIL_FEEDBACK_METRICS.complaints,
};

/** Feedback counts as CloudWatch EMF lines through Powertools, published at the end of each invocation. */
export const powertoolsFeedbackMetrics = (env: Env): FeedbackMetrics & { publish(): void } => {
  const metrics = createMetrics(env, 'email-feedback');
  return {
    record(kind) {
      metrics?.addMetric(METRIC_OF[kind], MetricUnit.Count, 1);
    },
    publish() {
      metrics?.publishStoredMetrics();
    },
  };
};
