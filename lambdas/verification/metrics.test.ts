import { describe, expect, it } from 'vitest';
import { emfDocumentsOf } from '../../test/support/emf';
import { powertoolsVerificationMetrics, VerificationBatchCollector } from './metrics';

const ENV = { POWERTOOLS_METRICS_NAMESPACE: 'Proleads', POWERTOOLS_SERVICE_NAME: 'proleads-verification' };

describe('verification metrics', () => {
  it('sums one invocation: every attempt a request, every unanswered attempt an error, leads by reason', () => {
    // Arrange
    const batch = new VerificationBatchCollector();

    // Act: two messages; the first needed a retry after a 429.
    batch.onAttempt({ outcome: 'rate-limited', latencyMs: 120.4 });
    batch.onAttempt({ outcome: 'answered', latencyMs: 850.6 });
    batch.settled({ deliverable: { valid: 3 }, rejected: { disposable: 1 } });
    batch.onAttempt({ outcome: 'answered', latencyMs: 400 });
    batch.settled({ deliverable: { valid: 2, 'role-account': 1 }, rejected: {} });

    // Assert
    expect(batch.figures).toEqual({
      verifierRequests: 3,
      verifierErrors: 1,
      verifierLatenciesMs: [120, 851, 400],
      verified: { deliverable: { valid: 5, 'role-account': 1 }, rejected: { disposable: 1 } },
    });
  });

  it('publishes the verifier figures in one EMF document and each outcome and reason in its own', () => {
    // Arrange
    const metrics = powertoolsVerificationMetrics(ENV);

    // Act
    const documents = emfDocumentsOf(() =>
      metrics.publish({
        verifierRequests: 2,
        verifierErrors: 1,
        verifierLatenciesMs: [100, 300],
        verified: { deliverable: { valid: 4 }, rejected: { 'invalid-format': 2 } },
      }),
    );

    // Assert
    expect(documents).toHaveLength(3);
    const [verifier, deliverable, rejected] = documents;
    expect(verifier).toMatchObject({
      service: 'proleads-verification',
      VerifierRequests: 2,
      VerifierErrors: 1,
      VerifierLatency: [100, 300],
      _aws: { CloudWatchMetrics: [{ Namespace: 'Proleads', Dimensions: [['service']] }] },
    });
    expect(deliverable).toMatchObject({ outcome: 'deliverable', reason: 'valid', VerifiedLeads: 4 });
    expect(rejected).toMatchObject({ outcome: 'rejected', reason: 'invalid-format', VerifiedLeads: 2 });
    expect(rejected?._aws).toMatchObject({
      CloudWatchMetrics: [{ Namespace: 'Proleads', Dimensions: [['service', 'outcome', 'reason']] }],
    });
  });

  it('writes nothing for an invocation that did nothing, or when metrics are disabled', () => {
    const idle = new VerificationBatchCollector().figures;
    expect(emfDocumentsOf(() => powertoolsVerificationMetrics(ENV).publish(idle))).toEqual([]);

    const busy = { ...idle, verifierRequests: 1, verifierLatenciesMs: [5] };
    const disabled = powertoolsVerificationMetrics({ ...ENV, POWERTOOLS_METRICS_DISABLED: 'true' });
    expect(emfDocumentsOf(() => disabled.publish(busy))).toEqual([]);
  });
});
