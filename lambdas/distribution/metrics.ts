import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DISTRIBUTION_METRICS } from '../contracts/metrics';
import type { Env } from '../shared/env';
import { createMetrics } from '../shared/metrics';
import type { RunSummary } from './domain/run';
import type { RunOutcomeMetrics } from './ports';

/** Run metrics as CloudWatch EMF lines through Powertools (one namespace for the app); off when POWERTOOLS_METRICS_DISABLED=true. */
export const powertoolsRunMetrics = (env: Env): RunOutcomeMetrics => {
  const metrics = createMetrics(env, 'distribution');
  const names = DISTRIBUTION_METRICS;
  return {
    record(summary) {
      if (!metrics) return;
      if (summary.outcome === 'failed') metrics.addMetric(names.runFailures, MetricUnit.Count, 1);
      else if (summary.outcome === 'duplicate')
        metrics.addMetric(names.duplicateInvocations, MetricUnit.Count, 1);
      else {
        const run = summary as RunSummary;
        metrics.addMetric(names.runs, MetricUnit.Count, 1);
        if (run.outcome === 'skipped') metrics.addMetric(names.runsSkipped, MetricUnit.Count, 1);
        metrics.addMetric(names.leadsAssigned, MetricUnit.Count, run.leadsAssigned);
        metrics.addMetric(names.membersShort, MetricUnit.Count, run.membersShort);
        metrics.addMetric(names.leadShortfall, MetricUnit.Count, run.shortfall);
        if (run.supplyWeeksLeft !== undefined)
          metrics.addMetric(names.supplyWeeksLeft, MetricUnit.NoUnit, run.supplyWeeksLeft);
      }
      metrics.publishStoredMetrics();
    },
  };
};
