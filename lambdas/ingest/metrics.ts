import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { INGEST_METRICS, INGEST_SWEEP_METRICS } from '../contracts/metrics';
import type { Env } from '../shared/env';
import { createMetrics } from '../shared/metrics';
import type { IngestCounters } from './domain/ports';
import type { SweepReport } from './sweep-stale-uploads';

/** Where the rows of each committed chunk go: CloudWatch through Powertools, or a test's sink. */
export interface IngestMetrics {
  chunkCommitted(chunk: IngestCounters): void;
}

/**
 * One EMF line per committed chunk (up to 1000 rows): exact, since only the invocation whose conditional
 * checkpoint write took the chunk reports it, and cheap (a log line, no API call). Published at once rather
 * than at the end of the invocation, so a later crash or timeout of the same invocation loses nothing.
 */
export const powertoolsIngestMetrics = (env: Env): IngestMetrics => {
  const metrics = createMetrics(env, 'ingest');
  return {
    chunkCommitted(chunk) {
      if (!metrics) return;
      for (const [field, name] of Object.entries(INGEST_METRICS)) {
        metrics.addMetric(name, MetricUnit.Count, chunk[field as keyof IngestCounters]);
      }
      metrics.publishStoredMetrics();
    },
  };
};

/** Where a sweep's findings go: CloudWatch (EMF) in AWS; tests pass a recorder. */
export type SweepMetrics = (report: SweepReport) => void;

/** One EMF line per pass, zeros included, so the alarm sees data (and a silent sweeper as missing data). */
export const powertoolsSweepMetrics = (env: Env): SweepMetrics => {
  const metrics = createMetrics(env, 'stale-upload-sweeper');
  return (report) => {
    if (!metrics) return;
    metrics.addMetric(INGEST_SWEEP_METRICS.stuckUploads, MetricUnit.Count, report.stuck.length);
    metrics.addMetric(INGEST_SWEEP_METRICS.resumed, MetricUnit.Count, report.resumed.length);
    metrics.addMetric(INGEST_SWEEP_METRICS.failed, MetricUnit.Count, report.failed.length);
    metrics.publishStoredMetrics();
  };
};
