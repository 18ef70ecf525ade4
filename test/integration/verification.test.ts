import { GetQueueAttributesCommand, PurgeQueueCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  deadLetterQueueUrl,
  globalDelta,
  readGlobalCounters,
  readLeads,
  readUpload,
  recountUpload,
  type SeededUpload,
  seedUpload,
  sendBodies,
  sendMessages,
  sqsClient,
  storedUploadCounters,
  verificationQueueUrl,
} from '../../fixtures/verification';
import { mixedSampleAnswers } from '../../fixtures/verifier-samples';
import { planAllocation } from '../../lambdas/distribution/domain/allocate';
import { createHandler } from '../../lambdas/functions/verification/handler';
import { loadEvent } from '../support/events';
import { useLocalStack } from '../support/local-stack';

// The verification path as it runs in `npm start`: messages on fauxqs, the local event source polling them
// into the verification function (ReportBatchItemFailures, MaximumConcurrency), DynamoDB on dynalite, and
// the verifier stand-in over HTTP with injected faults.

const MAX_ATTEMPTS = 4;
const MAX_RECEIVE_COUNT = 5;

describe('verification through the queue (fauxqs, dynalite, verifier stand-in)', () => {
  const stack = useLocalStack({
    env: {
      // Re-checks after 1 s instead of 15 min; quick backoff; a short timeout for the timeout test.
      VERIFICATION_POLICY: JSON.stringify({ recheckDelaySeconds: 1 }),
      VERIFIER_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      VERIFIER_BASE_DELAY_MS: '5',
      VERIFIER_TIMEOUT_MS: '1000',
    },
  });
  const seededHere: SeededUpload[] = [];

  const standIn = () => {
    const verifier = stack.current.verifier;
    if (!verifier) throw new Error('the local stack runs the verifier stand-in');
    return verifier;
  };
  const seed = async (emails: readonly string[]) => {
    const seeded = await seedUpload(stack.current, emails);
    seededHere.push(seeded);
    return seeded;
  };
  const statusesOf = async (seeded: SeededUpload) =>
    (await readLeads(stack.current, seeded.uploadId)).map((lead) => lead.status);

  beforeEach(() => {
    standIn().reset();
  });

  afterAll(async () => {
    // Every upload of this file: the stored counters equal a recount from its lead items.
    for (const seeded of seededHere) {
      expect(await storedUploadCounters(stack.current, seeded.uploadId)).toEqual(
        await recountUpload(stack.current, seeded.uploadId),
      );
    }
  });

  it('settles the mixed sample: statuses, reasons, raw classes, counters, upload queued once', async () => {
    // Arrange
    const sample = mixedSampleAnswers();
    const seeded = await seed(sample.map((answer) => answer.email));
    const before = await readGlobalCounters(stack.current);

    // Act: the message, then (1 s later) the re-check of the two domain failures.
    await sendMessages(stack.current, seeded.messages);
    await stack.current.eventSources.waitForIdle();

    // Assert
    const leads = await readLeads(stack.current, seeded.uploadId);
    expect(leads.map(({ email, status, reason, rawClass }) => ({ email, status, reason, rawClass }))).toEqual(
      [
        { email: 'jane.doe@example.com', status: 'deliverable', reason: 'valid', rawClass: 'VALID' },
        { email: 'info@example.org', status: 'deliverable', reason: 'role-account', rawClass: 'VALID' },
        { email: 'jane@gmial.com', status: 'rejected', reason: 'possible-typo', rawClass: 'PROBABLY_VALID' },
        { email: 'someone@mailinator.com', status: 'rejected', reason: 'disposable', rawClass: 'DISPOSABLE' },
        {
          email: 'nobody@no-such-domain-here.invalid',
          status: 'rejected',
          reason: 'invalid-domain',
          rawClass: 'INVALID_DOMAIN',
        },
        {
          email: 'user@parked-domain.example',
          status: 'rejected',
          reason: 'no-mx-records',
          rawClass: 'NO_MX_RECORDS',
        },
        { email: 'not-an-email', status: 'rejected', reason: 'invalid-format', rawClass: 'INVALID_FORMAT' },
      ],
    );
    expect(leads[1]?.roleBased).toBe(true);
    expect(leads[2]?.typoSuggestion).toBe('jane@gmail.com');
    expect(await readUpload(stack.current, seeded.uploadId)).toMatchObject({
      state: 'queued',
      gsi1pk: 'STATE#queued',
      verificationPending: 0,
      deliverable: 2,
      undeliverable: 5,
    });
    expect(globalDelta(before, await readGlobalCounters(stack.current))).toEqual({
      leadsPendingVerification: -7,
      leadsDeliverable: 2,
      leadsUndeliverable: 5,
      leadsAvailable: 2,
      queuedUploads: 1,
    });
    // One batch request for the message, one for the re-check of the two domain failures.
    expect(standIn().stats().batchSizes).toEqual([7, 2]);
  });

  it('a rejected lead is never distributable: the allocation planner hands out only deliverable leads', async () => {
    // Arrange
    const seeded = await seed(mixedSampleAnswers().map((answer) => answer.email));
    await sendMessages(stack.current, seeded.messages);
    await stack.current.eventSources.waitForIdle();
    const leads = await readLeads(stack.current, seeded.uploadId);

    // Act: one member who wants far more than there is.
    const plan = planAllocation({
      members: [{ memberId: 'member-1', need: 100, receivedThisWeek: 0 }],
      uploads: [
        {
          uploadId: seeded.uploadId,
          createdAt: new Date(),
          leads: leads.map((lead) => ({ leadId: lead.sk, status: lead.status, assignedCount: 0 })),
        },
      ],
    });

    // Assert
    const deliverable = leads.filter((lead) => lead.status === 'deliverable').map((lead) => lead.sk);
    expect(plan.assignments.map((assignment) => assignment.leadId)).toEqual(deliverable);
    expect(deliverable).toHaveLength(2);
  });

  it('429 twice, then answers: the leads settle within one delivery', async () => {
    // Arrange
    const seeded = await seed(['ann@example.com', 'x@mailinator.com']);
    standIn().failNext('rate-limit', 2);

    // Act
    await sendMessages(stack.current, seeded.messages);
    await stack.current.eventSources.waitForIdle();

    // Assert
    expect(await statusesOf(seeded)).toEqual(['deliverable', 'rejected']);
    expect(standIn().requestCount()).toBe(3);
    expect((await readUpload(stack.current, seeded.uploadId))?.state).toBe('queued');
  });

  it('a contradictory answer, then a partial one, are retried; answers are matched by email', async () => {
    // Arrange
    const seeded = await seed(['ann@example.com', 'bob@example.com', 'x@mailinator.com']);
    standIn().failNext('contradict-status');
    standIn().failNext('drop-result');
    standIn().failNext('reorder');

    // Act
    await sendMessages(stack.current, seeded.messages);
    await stack.current.eventSources.waitForIdle();

    // Assert: the first two answers were refused; the third, reordered, was matched by email.
    expect(await statusesOf(seeded)).toEqual(['deliverable', 'deliverable', 'rejected']);
    expect(standIn().requestCount()).toBe(3);
  });

  it('a request that times out is retried', async () => {
    // Arrange: the first answer comes after 3 s; the client waits 1 s.
    const seeded = await seed(['ann@example.com']);
    standIn().failNext('slow', 1, { delayMs: 3_000 });

    // Act
    await sendMessages(stack.current, seeded.messages);
    await stack.current.eventSources.waitForIdle();

    // Assert
    expect(await statusesOf(seeded)).toEqual(['deliverable']);
    expect(standIn().requestCount()).toBe(2);
  });

  it('a redelivered settled message neither asks the verifier again nor counts twice', async () => {
    // Arrange
    const seeded = await seed(['ann@example.com', 'x@mailinator.com']);
    await sendMessages(stack.current, seeded.messages);
    await stack.current.eventSources.waitForIdle();
    const before = await readGlobalCounters(stack.current);
    const uploadBefore = await readUpload(stack.current, seeded.uploadId);
    standIn().reset();

    // Act: SQS delivers the same message again (twice).
    await sendMessages(stack.current, [...seeded.messages, ...seeded.messages]);
    await stack.current.eventSources.waitForIdle();

    // Assert
    expect(standIn().requestCount()).toBe(0);
    expect(globalDelta(before, await readGlobalCounters(stack.current))).toEqual({
      leadsPendingVerification: 0,
      leadsDeliverable: 0,
      leadsUndeliverable: 0,
      leadsAvailable: 0,
      queuedUploads: 0,
    });
    expect(await readUpload(stack.current, seeded.uploadId)).toEqual(uploadBefore);
  });

  it('one malformed message in a batch is reported alone; the good one settles', async () => {
    // Arrange: the sample SQS event, with a seeded message and a poison message.
    const seeded = await seed(['ann@example.com']);
    const event = loadEvent<SQSEvent>('sqs/verification-batch.json');
    const [template] = event.Records;
    if (!template) throw new Error('the sample event has a record');
    event.Records = [
      { ...template, messageId: 'good', body: JSON.stringify(seeded.message) },
      { ...template, messageId: 'poison', body: '{"uploadId": "x", "rows": [1, 2]}' },
    ];
    const [verifyFn] = stack.current.lambdas.functionsOf('verification');

    // Act
    const response = (await stack.current.lambdas.invoke(verifyFn ?? '', event)) as SQSBatchResponse;

    // Assert
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'poison' }]);
    expect(await statusesOf(seeded)).toEqual(['deliverable']);
  });

  it('500 until the DLQ: the leads stay pending, then a redrive settles them normally', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const seeded = await seed(['ann@example.com', 'x@mailinator.com']);
    const before = await readGlobalCounters(stack.current);
    standIn().failNext('server-error', 1_000);

    await withQuickRedelivery(async () => {
      // Act
      await sendMessages(stack.current, seeded.messages);
      await stack.current.eventSources.waitForIdle({ timeoutMs: 45_000 });

      // Assert: every receive spent its retries; after maxReceiveCount receives, the message is parked.
      expect(standIn().requestCount()).toBe(MAX_ATTEMPTS * MAX_RECEIVE_COUNT);
      expect(await dlqDepth()).toBe(1);
      expect(await statusesOf(seeded)).toEqual(['pending', 'pending']);
      expect(await readUpload(stack.current, seeded.uploadId)).toMatchObject({
        state: 'verifying',
        verificationPending: 2,
      });
      expect(globalDelta(before, await readGlobalCounters(stack.current))).toMatchObject({
        leadsPendingVerification: 0,
      });

      // Act: the verifier is back; an operator redrives the DLQ.
      standIn().reset();
      expect(await stack.current.eventSources.redriveDeadLetters()).toBe(1);
      await stack.current.eventSources.waitForIdle();

      // Assert
      expect(await dlqDepth()).toBe(0);
      expect(await statusesOf(seeded)).toEqual(['deliverable', 'rejected']);
      expect((await readUpload(stack.current, seeded.uploadId))?.state).toBe('queued');
    });
  });

  it('a poison message through the queue ends in the DLQ after maxReceiveCount receives', {
    timeout: 60_000,
  }, async () => {
    await withQuickRedelivery(async () => {
      // Act
      await sendBodies(stack.current, ['not json at all']);
      await stack.current.eventSources.waitForIdle({ timeoutMs: 45_000 });

      // Assert
      expect(await dlqDepth()).toBe(1);
      expect(standIn().requestCount()).toBe(0);
    });
  });

  /**
   * Failed deliveries come back after 2 s instead of the deployed 361 s; the DLQ is emptied afterwards.
   * As in AWS, the visibility timeout must outlast the batching window (1 s) plus the processing, or a
   * message is received again while still being processed.
   */
  const withQuickRedelivery = async (act: () => Promise<void>) => {
    const sqs = sqsClient(stack.current);
    const queueUrl = verificationQueueUrl(stack.current);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: '2' } }),
    );
    try {
      await act();
    } finally {
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: Attributes ?? {} }));
      await sqs.send(new PurgeQueueCommand({ QueueUrl: deadLetterQueueUrl(stack.current) }));
      sqs.destroy();
    }
  };

  it('logs name no email address, even at debug level, on retries, held answers and poison messages', async () => {
    // Arrange: a handler of the template's verification function, logging everything.
    const sample = mixedSampleAnswers().map((answer) => answer.email);
    const seeded = await seed(sample);
    const [verifyFn = ''] = stack.current.lambdas.functionsOf('verification');
    const handler = createHandler(
      stack.current.resources.functionEnv(verifyFn, {
        VERIFIER_BASE_URL: standIn().origin,
        VERIFIER_PATH_PREFIX: standIn().pathPrefix,
        VERIFIER_BASE_DELAY_MS: '5',
        VERIFICATION_POLICY: JSON.stringify({ recheckDelaySeconds: 1 }),
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
      }),
    );
    const event = loadEvent<SQSEvent>('sqs/verification-batch.json');
    const [template] = event.Records;
    if (!template) throw new Error('the sample event has a record');
    const poison = { uploadId: seeded.uploadId, leads: [{ row: 'one', email: 'leak.me@example.com' }] };
    event.Records = [
      { ...template, messageId: 'mixed', body: JSON.stringify(seeded.message) },
      { ...template, messageId: 'poison', body: JSON.stringify(poison) },
    ];
    standIn().failNext('rate-limit');
    standIn().failNext('unknown-status');
    const written: string[] = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(capture),
      vi.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];

    // Act: the first answer holds one lead (unknown status), so the whole first delivery fails (both
    // records: Powertools then throws, as Lambda expects); the next delivery settles the held lead.
    let first: unknown;
    let second: SQSBatchResponse;
    try {
      first = await handler(event, fakeContext()).catch((error: unknown) => error);
      second = await handler(event, fakeContext());
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    await stack.current.eventSources.waitForIdle(); // the re-check message, settled by the poller

    // Assert
    const logs = written.join('');
    expect(first).toMatchObject({ name: 'FullBatchFailureError' });
    expect(second.batchItemFailures).toEqual([{ itemIdentifier: 'poison' }]);
    expect(logs).toContain('leads left unsettled');
    expect(logs).toContain('malformed verification message');
    expect(logs).toContain('verification message settled');
    for (const email of [...sample, 'leak.me@example.com']) expect(logs).not.toContain(email);
    expect(await statusesOf(seeded)).not.toContain('pending');
  });

  const fakeContext = (): Context => ({
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'verification',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:verification',
    memoryLimitInMB: '512',
    awsRequestId: 'test-request',
    logGroupName: '/aws/lambda/verification',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 50_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  });

  const dlqDepth = async () => {
    const sqs = sqsClient(stack.current);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: deadLetterQueueUrl(stack.current),
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    sqs.destroy();
    return Number(Attributes?.ApproximateNumberOfMessages);
  };
});
