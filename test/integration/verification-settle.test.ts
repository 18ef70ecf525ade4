import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../fixtures/clients';
import {
  globalDelta,
  readGlobalCounters,
  readLeads,
  readUpload,
  recountUpload,
  type SeededUpload,
  seedUpload,
  storedUploadCounters,
  tablesOf,
} from '../../fixtures/verification';
import { claimOf } from '../../lambdas/shared/counting-claim';
import { queuedMarker, queueUploadIfSettled } from '../../lambdas/shared/upload-state';
import {
  dynamoSettlement,
  type SettlementConfig,
} from '../../lambdas/verification/adapters/settlement-store';
import {
  TransientVerifierError,
  type VerifierClient,
} from '../../lambdas/verification/adapters/verifier-client';
import { DEFAULT_POLICY } from '../../lambdas/verification/domain/policy';
import { UnknownLeadsError, UnsettledLeadsError } from '../../lambdas/verification/domain/settlement';
import type { VerifierAnswer } from '../../lambdas/verification/domain/verifier-schema';
import { type SettleDependencies, settleVerificationMessage } from '../../lambdas/verification/settle';
import { createDecideConfig, type DecideConfig, decide } from '../../local/verifier/decide';
import { useLocalStack } from '../support/local-stack';

// The settlement use case against dynalite, with a verifier that answers like the stand-in without HTTP.
// The SQS event source is exercised in verification.test.ts; here a message is handed over directly.

const DELIVERABLE = ['ann@example.com', 'bob@example.com', 'info@example.org'];
const REJECTED = ['someone@mailinator.com', 'not-an-email'];
const LATER = 10 * 60_000; // past every lease (invocation time + margin)

let decideConfig: DecideConfig;

/** A verifier that answers like the stand-in; `tweak` may change one email's answer. */
const fakeVerifier = (tweak: (answer: VerifierAnswer) => VerifierAnswer = (answer) => answer) => {
  const calls: string[][] = [];
  const client: VerifierClient = {
    async verifyBatch(emails) {
      calls.push([...emails]);
      return new Map(emails.map((email) => [email, tweak(decide(email, decideConfig))]));
    },
  };
  return { client, calls };
};

describe('settling a verification message (dynalite)', () => {
  const stack = useLocalStack({ fresh: true });
  let doc: DynamoDBDocumentClient;
  let sqs: SQSClient;
  const plentyOfTime = { remainingMs: () => 50_000 };

  const deps = (
    overrides: Partial<SettlementConfig & Pick<SettleDependencies, 'verifier'>> = {},
  ): SettleDependencies => {
    const config: SettlementConfig = {
      doc,
      sqs,
      policy: DEFAULT_POLICY,
      tables: tablesOf(stack.current),
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/verification',
      maxAssignmentsPerLead: 2,
      ...overrides,
    };
    return {
      ...dynamoSettlement(config),
      verifier: overrides.verifier ?? fakeVerifier().client,
      policy: DEFAULT_POLICY,
      ...(overrides.now ? { now: overrides.now } : {}),
    };
  };

  beforeAll(() => {
    decideConfig = createDecideConfig();
  });

  beforeEach(() => {
    doc = documentClient(stack.current);
    // Re-checks must not reach the real local queue (its poller would settle them behind the test's back).
    sqs = new SQSClient({ region: 'us-east-1' });
  });

  /** The whole end state of a settled upload of DELIVERABLE + REJECTED, checked from every side. */
  const expectSettledExactlyOnce = async (seeded: SeededUpload, before: Record<string, unknown>) => {
    const leads = await readLeads(stack.current, seeded.uploadId);
    expect(leads.map((lead) => lead.status)).toEqual([
      'deliverable',
      'deliverable',
      'deliverable',
      'rejected',
      'rejected',
    ]);
    expect(leads.map((lead) => lead.reason)).toEqual([
      'valid',
      'valid',
      'role-account',
      'disposable',
      'invalid-format',
    ]);
    expect(leads.filter((lead) => claimOf(lead))).toEqual([]);
    expect(await storedUploadCounters(stack.current, seeded.uploadId)).toEqual({
      verificationPending: 0,
      deliverable: 3,
      undeliverable: 2,
    });
    expect(await recountUpload(stack.current, seeded.uploadId)).toEqual(
      await storedUploadCounters(stack.current, seeded.uploadId),
    );
    const upload = await readUpload(stack.current, seeded.uploadId);
    expect(upload).toMatchObject({ state: 'queued', gsi1pk: 'STATE#queued' });
    expect(claimOf(upload)).toBeUndefined();
    const after = await readGlobalCounters(stack.current);
    expect(globalDelta(before, after)).toEqual({
      leadsPendingVerification: -5,
      leadsDeliverable: 3,
      leadsUndeliverable: 2,
      leadsAvailable: 3 * 2, // maxAssignmentsPerLead = 2
      queuedUploads: 1,
    });
    // No marker of this upload left behind in either counters item.
    const leftovers = [
      ...((after.inflight as Set<string> | undefined) ?? []),
      ...((upload?.inflight as Set<string> | undefined) ?? []),
    ];
    expect(leftovers.filter((marker) => marker.includes(seeded.uploadId))).toEqual([]);
  };

  it('settles every lead with status, reason and raw class, counts each once and queues the upload', async () => {
    // Arrange
    const seeded = await seedUpload(stack.current, [...DELIVERABLE, ...REJECTED]);
    const before = await readGlobalCounters(stack.current);

    // Act
    const report = await settleVerificationMessage(deps(), seeded.message, plentyOfTime);

    // Assert
    expect(report).toMatchObject({ deliverable: 3, rejected: 2, recheckScheduled: 0, upload: 'queued' });
    // What the verification metrics publish: the same leads, by outcome and reason.
    expect(report.byReason).toEqual({
      deliverable: { valid: 2, 'role-account': 1 },
      rejected: { disposable: 1, 'invalid-format': 1 },
    });
    await expectSettledExactlyOnce(seeded, before);
    const leads = await readLeads(stack.current, seeded.uploadId);
    expect(leads.map((lead) => lead.rawClass)).toEqual([
      'VALID',
      'VALID',
      'VALID',
      'DISPOSABLE',
      'INVALID_FORMAT',
    ]);
    expect(leads[2]?.roleBased).toBe(true);
  });

  it('redelivery of a settled message changes nothing and asks the verifier nothing', async () => {
    // Arrange
    const seeded = await seedUpload(stack.current, [...DELIVERABLE, ...REJECTED]);
    const before = await readGlobalCounters(stack.current);
    await settleVerificationMessage(deps(), seeded.message, plentyOfTime);
    const verifier = fakeVerifier();

    // Act: the same message, three more times.
    for (let delivery = 0; delivery < 3; delivery++) {
      const report = await settleVerificationMessage(
        deps({ verifier: verifier.client }),
        seeded.message,
        plentyOfTime,
      );
      expect(report).toMatchObject({ deliverable: 0, rejected: 0, skipped: 5, upload: 'already-queued' });
    }

    // Assert
    expect(verifier.calls).toEqual([]);
    await expectSettledExactlyOnce(seeded, before);
  });

  describe('a crash at any write, then a retry, neither loses nor double-counts', () => {
    /** A client that dies at its n-th write (before or after the write lands), then refuses everything. */
    const crashingAt = (crashAt: number, landed: boolean) => {
      let writes = 0;
      let dead = false;
      return {
        writes: () => writes,
        doc: {
          send: async (command: unknown) => {
            if (dead) throw new Error('process gone');
            if (command instanceof UpdateCommand && ++writes === crashAt) {
              dead = true;
              if (landed) await doc.send(command);
              throw new Error(`injected crash at write ${crashAt}`);
            }
            return doc.send(command as never);
          },
        } as unknown as DynamoDBDocumentClient,
      };
    };

    let totalWrites = 0;
    beforeAll(async () => {
      const seeded = await seedUpload(stack.current, [...DELIVERABLE, ...REJECTED]);
      const counting = crashingAt(Number.POSITIVE_INFINITY, false);
      await settleVerificationMessage(deps({ doc: counting.doc }), seeded.message, plentyOfTime);
      totalWrites = counting.writes();
    });

    it.each([
      ['before', false],
      ['after', true],
    ])('crash %s each write lands', async (_, landed) => {
      expect(totalWrites).toBeGreaterThan(10); // claims, counters, claim ends, releases, queue move...
      for (let crashAt = 1; crashAt <= totalWrites; crashAt++) {
        // Arrange
        const seeded = await seedUpload(stack.current, [...DELIVERABLE, ...REJECTED]);
        const before = await readGlobalCounters(stack.current);
        const crashing = crashingAt(crashAt, landed);

        // Act: the first delivery dies; SQS delivers again after the visibility timeout (past every lease).
        await expect(
          settleVerificationMessage(deps({ doc: crashing.doc }), seeded.message, plentyOfTime),
        ).rejects.toThrow(/injected crash|process gone/);
        await settleVerificationMessage(
          deps({ now: () => Date.now() + LATER }),
          seeded.message,
          plentyOfTime,
        );

        // Assert
        await expectSettledExactlyOnce(seeded, before);
      }
    });
  });

  it('a lead another live delivery is counting is left to it, and resumed once that lease runs out', async () => {
    // Arrange: a first delivery claimed every lead, then stalled before counting.
    const seeded = await seedUpload(stack.current, [...DELIVERABLE, ...REJECTED]);
    const before = await readGlobalCounters(stack.current);
    let writes = 0;
    const stalling = {
      send: async (command: unknown) => {
        if (command instanceof UpdateCommand && ++writes > 5) throw new Error('stalled');
        return doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    await expect(
      settleVerificationMessage(deps({ doc: stalling }), seeded.message, plentyOfTime),
    ).rejects.toThrow();

    // Act: a duplicate delivery while the lease holds, then one after.
    const whileHeld = await settleVerificationMessage(deps(), seeded.message, plentyOfTime);
    const afterLease = await settleVerificationMessage(
      deps({ now: () => Date.now() + LATER }),
      seeded.message,
      plentyOfTime,
    );

    // Assert
    expect(whileHeld).toMatchObject({ resumed: 0, skipped: 5, upload: 'not-ready' });
    expect(afterLease).toMatchObject({ resumed: 5, upload: 'queued' });
    // Resumed leads are published once, by the delivery that counts them, with the reason stored on them.
    expect(whileHeld.byReason).toEqual({ deliverable: {}, rejected: {} });
    expect(afterLease.byReason).toEqual({
      deliverable: { valid: 2, 'role-account': 1 },
      rejected: { disposable: 1, 'invalid-format': 1 },
    });
    await expectSettledExactlyOnce(seeded, before);
  });

  it('two messages of one upload finishing together queue it exactly once', async () => {
    // Arrange: ten uploads of two messages each, all settled at the same moment.
    const uploads = await Promise.all(
      Array.from({ length: 10 }, () =>
        seedUpload(stack.current, ['a@example.com', 'b@example.com', 'x@mailinator.com', 'c@example.com'], {
          leadsPerMessage: 2,
        }),
      ),
    );
    const before = await readGlobalCounters(stack.current);

    // Act
    const reports = await Promise.all(
      uploads.flatMap((seeded) =>
        seeded.messages.map((message) => settleVerificationMessage(deps(), message, plentyOfTime)),
      ),
    );

    // Assert
    expect(reports.filter((report) => report.upload === 'queued')).toHaveLength(10);
    for (const seeded of uploads) {
      expect((await readUpload(stack.current, seeded.uploadId))?.state).toBe('queued');
      expect(await storedUploadCounters(stack.current, seeded.uploadId)).toEqual({
        verificationPending: 0,
        deliverable: 3,
        undeliverable: 1,
      });
    }
    expect(globalDelta(before, await readGlobalCounters(stack.current))).toMatchObject({
      queuedUploads: 10,
      leadsDeliverable: 30,
      leadsUndeliverable: 10,
    });
  });

  it('leads settled before ingest finished: the upload waits, and ingest queues it when it moves to verifying', async () => {
    // Arrange
    const seeded = await seedUpload(stack.current, ['a@example.com', 'b@example.com'], {
      state: 'ingesting',
    });
    const before = await readGlobalCounters(stack.current);

    // Act
    const report = await settleVerificationMessage(deps(), seeded.message, plentyOfTime);
    const waiting = await readUpload(stack.current, seeded.uploadId);
    // Ingest's side of the contract: its own move to verifying, then the same check, several times at once.
    await doc.send(
      new UpdateCommand({
        TableName: tablesOf(stack.current).uploads,
        Key: { pk: waiting?.pk, sk: waiting?.sk },
        UpdateExpression: 'SET #state = :verifying',
        ConditionExpression: '#state = :ingesting',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':verifying': 'verifying', ':ingesting': 'ingesting' },
      }),
    );
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        queueUploadIfSettled(doc, tablesOf(stack.current), seeded.uploadId, { remainingMs: 10_000 }),
      ),
    );

    // Assert
    expect(report.upload).toBe('not-applicable');
    expect(waiting).toMatchObject({ state: 'ingesting', verificationPending: 0 });
    expect(outcomes.filter((outcome) => outcome === 'queued')).toHaveLength(1);
    expect((await readUpload(stack.current, seeded.uploadId))?.state).toBe('queued');
    expect(globalDelta(before, await readGlobalCounters(stack.current))).toMatchObject({ queuedUploads: 1 });
    const inflight =
      ((await readGlobalCounters(stack.current)).inflight as Set<string> | undefined) ?? new Set();
    expect(inflight.has(queuedMarker(seeded.uploadId))).toBe(false);
  });

  it('a domain failure is re-checked once through a delayed SendMessage, and the upload waits for it', async () => {
    // Arrange
    const sqsMock = mockClient(sqs);
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'recheck-1' });
    const seeded = await seedUpload(stack.current, [
      'ann@example.com',
      'nobody@gone.invalid',
      'user@parked-domain.example',
    ]);
    const before = await readGlobalCounters(stack.current);

    // Act: the first answer says the domains are dead.
    const first = await settleVerificationMessage(deps(), seeded.message, plentyOfTime);

    // Assert: exactly one SendMessage, with the queue's own timer and only the two domain failures.
    expect(sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input)).toEqual([
      {
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/verification',
        MessageBody: JSON.stringify({
          uploadId: seeded.uploadId,
          leads: [
            { row: 2, email: 'nobody@gone.invalid' },
            { row: 3, email: 'user@parked-domain.example' },
          ],
          recheck: true,
        }),
        DelaySeconds: 900,
      },
    ]);
    expect(first).toMatchObject({ deliverable: 1, recheckScheduled: 2, upload: 'not-ready' });
    expect(
      (await readLeads(stack.current, seeded.uploadId)).map((lead) => [lead.status, lead.reason]),
    ).toEqual([
      ['deliverable', 'valid'],
      ['recheck', 'invalid-domain'],
      ['recheck', 'no-mx-records'],
    ]);
    expect(await storedUploadCounters(stack.current, seeded.uploadId)).toEqual({
      verificationPending: 2,
      deliverable: 1,
      undeliverable: 0,
    });
    expect(await recountUpload(stack.current, seeded.uploadId)).toEqual(
      await storedUploadCounters(stack.current, seeded.uploadId),
    );

    // Act: the re-check message arrives; the domains are still dead.
    const recheckBody = sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? '';
    const second = await settleVerificationMessage(deps(), JSON.parse(recheckBody), plentyOfTime);

    // Assert: final now, no second re-check, the upload queued.
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(1);
    expect(second).toMatchObject({ rejected: 2, recheckScheduled: 0, upload: 'queued' });
    expect(
      (await readLeads(stack.current, seeded.uploadId)).map((lead) => [lead.status, lead.rawClass]),
    ).toEqual([
      ['deliverable', 'VALID'],
      ['rejected', 'INVALID_DOMAIN'],
      ['rejected', 'NO_MX_RECORDS'],
    ]);
    expect(globalDelta(before, await readGlobalCounters(stack.current))).toEqual({
      leadsPendingVerification: -3,
      leadsDeliverable: 1,
      leadsUndeliverable: 2,
      leadsAvailable: 2,
      queuedUploads: 1,
    });
    sqsMock.restore();
  });

  it('a re-check that finds the domain alive settles the lead deliverable', async () => {
    // Arrange: the lead is awaiting its re-check.
    const seeded = await seedUpload(stack.current, ['flaky@example.com']);
    const dnsTimeout = fakeVerifier((answer) =>
      decide(answer.email, decideConfig, { mxLookupTimesOut: true }),
    );
    const sqsMock = mockClient(sqs);
    sqsMock.on(SendMessageCommand).resolves({});
    await settleVerificationMessage(deps({ verifier: dnsTimeout.client }), seeded.message, plentyOfTime);

    // Act
    const report = await settleVerificationMessage(
      deps(),
      { ...seeded.message, recheck: true },
      plentyOfTime,
    );

    // Assert
    expect(report).toMatchObject({ deliverable: 1, upload: 'queued' });
    expect((await readLeads(stack.current, seeded.uploadId))[0]).toMatchObject({
      status: 'deliverable',
      rawClass: 'VALID',
    });
    sqsMock.restore();
  });

  it('an unclear answer holds only its lead: the others settle, the record fails to be delivered again', async () => {
    // Arrange
    const seeded = await seedUpload(stack.current, [
      'ann@example.com',
      'odd@example.com',
      'x@mailinator.com',
    ]);
    const unclear = fakeVerifier((answer) =>
      answer.email === 'odd@example.com' ? { ...answer, status: 'CATCH_ALL' } : answer,
    );

    // Act
    const failure = await settleVerificationMessage(
      deps({ verifier: unclear.client }),
      seeded.message,
      plentyOfTime,
    ).catch((error: unknown) => error);

    // Assert
    expect(failure).toBeInstanceOf(UnsettledLeadsError);
    expect(failure).toMatchObject({ unsettled: 1, report: { deliverable: 1, rejected: 1 } });
    expect((await readLeads(stack.current, seeded.uploadId)).map((lead) => lead.status)).toEqual([
      'deliverable',
      'pending',
      'rejected',
    ]);
    expect((await readUpload(stack.current, seeded.uploadId))?.state).toBe('verifying');

    // Act: the redelivery gets a clear answer and asks only about the held lead.
    const verifier = fakeVerifier();
    const report = await settleVerificationMessage(
      deps({ verifier: verifier.client }),
      seeded.message,
      plentyOfTime,
    );

    // Assert
    expect(verifier.calls).toEqual([['odd@example.com']]);
    expect(report).toMatchObject({ deliverable: 1, skipped: 2, upload: 'queued' });
    expect(await recountUpload(stack.current, seeded.uploadId)).toEqual(
      await storedUploadCounters(stack.current, seeded.uploadId),
    );
  });

  it('answers got before the verifier gave up are settled; the rest wait for the redelivery', async () => {
    // Arrange
    const seeded = await seedUpload(stack.current, ['ann@example.com', 'bob@example.com']);
    const partial: VerifierClient = {
      async verifyBatch(emails) {
        const answered = new Map([[emails[0] ?? '', decide(emails[0] ?? '', decideConfig)]]);
        throw new TransientVerifierError('rate-limited', 4, 'HTTP 429', answered);
      },
    };

    // Act
    const failure = await settleVerificationMessage(
      deps({ verifier: partial }),
      seeded.message,
      plentyOfTime,
    ).catch((error: unknown) => error);

    // Assert
    expect(failure).toBeInstanceOf(UnsettledLeadsError);
    expect(failure).toMatchObject({
      unsettled: 1,
      reason: expect.stringMatching(/rate-limited after 4 attempt/),
    });
    expect((await readLeads(stack.current, seeded.uploadId)).map((lead) => lead.status)).toEqual([
      'deliverable',
      'pending',
    ]);
    expect(await storedUploadCounters(stack.current, seeded.uploadId)).toEqual({
      verificationPending: 1,
      deliverable: 1,
      undeliverable: 0,
    });
  });

  it('a message naming leads that were never stored fails as unknown leads', async () => {
    const seeded = await seedUpload(stack.current, ['ann@example.com']);
    const message = {
      uploadId: seeded.uploadId,
      leads: [
        { row: 1, email: 'ann@example.com' },
        { row: 99, email: 'ghost@example.com' },
      ],
    };
    await expect(settleVerificationMessage(deps(), message, plentyOfTime)).rejects.toBeInstanceOf(
      UnknownLeadsError,
    );
    expect((await readLeads(stack.current, seeded.uploadId))[0]?.status).toBe('pending');
  });
});
