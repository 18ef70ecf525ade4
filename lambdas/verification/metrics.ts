import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { VERIFICATION_METRICS } from '../contracts/metrics';
import type { Env } from '../shared/env';
import { createMetrics } from '../shared/metrics';
import type { VerifierAttempt } from './adapters/verifier-client';
import type { SettleReport } from './domain/settlement';

/** What one invocation (one SQS batch of messages) did, summed over its messages. */
export interface VerificationBatchFigures {
  /** HTTP attempts toward the verifier, retries included. */
  verifierRequests: number;
  /** Attempts that did not bring a usable answer (429, 5xx, 408, timeout, network, malformed, refused). */
  verifierErrors: number;
  verifierLatenciesMs: number[];
  /** Leads settled and counted by this invocation, by outcome and reason. */
  verified: SettleReport['byReason'];
}

/** Where an invocation's figures go: CloudWatch through Powertools, or a test's sink. */
export interface VerificationMetrics {
  publish(figures: VerificationBatchFigures): void;
}

/**
 * Gathers one invocation's figures while its messages settle side by side. Errors are counted per attempt,
 * not per message after retries: the alarm is about the verifier's health, and retries that end in an
 * answer would hide a verifier failing every other request (a message that fails for good shows in the DLQ).
 */
export class VerificationBatchCollector {
  readonly figures: VerificationBatchFigures = {
    verifierRequests: 0,
    verifierErrors: 0,
    verifierLatenciesMs: [],
    verified: { deliverable: {}, rejected: {} },
  };

  readonly onAttempt = (attempt: VerifierAttempt): void => {
    this.figures.verifierRequests++;
    if (attempt.outcome !== 'answered') this.figures.verifierErrors++;
    this.figures.verifierLatenciesMs.push(Math.round(attempt.latencyMs));
  };

  settled(byReason: SettleReport['byReason']): void {
    for (const outcome of ['deliverable', 'rejected'] as const) {
      const into = this.figures.verified[outcome];
      for (const [reason, count] of Object.entries(byReason[outcome]))
        into[reason] = (into[reason] ?? 0) + count;
    }
  }
}

/**
 * The figures as CloudWatch EMF lines: one for the verifier (requests, errors, a latency value per attempt),
 * one per outcome and reason for the leads (dimensions `outcome` and `reason`). Nothing when the invocation
 * neither asked the verifier nor settled a lead, or when POWERTOOLS_METRICS_DISABLED=true.
 */
export const powertoolsVerificationMetrics = (env: Env): VerificationMetrics => {
  const metrics = createMetrics(env, 'verification');
  const names = VERIFICATION_METRICS;
  return {
    publish(figures) {
      if (!metrics) return;
      if (figures.verifierRequests > 0) {
        metrics.addMetric(names.verifierRequests, MetricUnit.Count, figures.verifierRequests);
        metrics.addMetric(names.verifierErrors, MetricUnit.Count, figures.verifierErrors);
        for (const ms of figures.verifierLatenciesMs)
          metrics.addMetric(names.verifierLatency, MetricUnit.Milliseconds, ms);
        metrics.publishStoredMetrics();
      }
      for (const [outcome, reasons] of Object.entries(figures.verified)) {
        for (const [reason, count] of Object.entries(reasons)) {
          // A single-metric instance flushes at once, with its own dimensions next to the service's.
          const single = metrics.singleMetric();
          single.addDimension('outcome', outcome);
          single.addDimension('reason', reason);
          single.addMetric(names.verifiedLeads, MetricUnit.Count, count);
        }
      }
    },
  };
};
