import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { documentClient, localName } from '../../fixtures/clients';
import { createIngestServiceFromEnv } from '../../lambdas/functions/ingest/handler';
import { createHandler as createSweeper } from '../../lambdas/functions/stale-upload-sweeper/handler';
import type { IngestClients, IngestReport } from '../../lambdas/ingest/ingest-object';
import type { SweepMetrics } from '../../lambdas/ingest/metrics';
import type { SweepReport } from '../../lambdas/ingest/sweep-stale-uploads';
import { leadKey, uploadKey } from '../../lambdas/shared/model';
import { DEV_LEAD_HASH_PEPPER } from '../../local/ingest';
import type { LocalStack } from '../../local/runtime';
import { ADMIN, callApi } from '../support/api';
import { loadEvent } from '../support/events';
import { referenceRun } from '../support/ingest-reference';
import { useLocalStack } from '../support/local-stack';
import {
  allLeadHashes,
  bucketName,
  createSlot,
  globalCounters,
  leadFile,
  leadsOf,
  readUpload,
  resultRows,
  s3Client,
  uploadFile,
  verificationMessages,
  waitForUpload,
} from '../support/uploads';

const ingestFunction = (stack: LocalStack) => stack.lambdas.functionsOf('ingest')[0] as string;

/** The S3 notification of an upload's object, as S3 (and its at-least-once retries) deliver it. */
const objectCreated = (stack: LocalStack, uploadId: string): S3Event => {
  const event = loadEvent<S3Event>('s3/object-created-post.json');
  const record = event.Records[0] as S3Event['Records'][number];
  record.s3.bucket.name = bucketName(stack);
  record.s3.object.key = `uploads/${uploadId}.csv`;
  return event;
};

const invokeIngest = async (stack: LocalStack, event: unknown) =>
  (await stack.lambdas.invoke(ingestFunction(stack), event)) as { reports: IngestReport[] };

/** Counters as the upload item holds them. */
const countersOf = (upload: Record<string, unknown>) => ({
  rowsRead: upload.rowsRead,
  accepted: upload.accepted,
  duplicateInFile: upload.duplicateInFile,
  duplicateOfEarlier: upload.duplicateOfEarlier,
  rejected: upload.rejected,
});

/** `count` addresses, each repeated `copies` times in a scattered order, with every 97th row broken. */
const scatteredFile = (prefix: string, rows: number, unique: number) =>
  leadFile(
    Array.from({ length: rows }, (_, index) =>
      index % 97 === 96 ? `broken-${index}` : `${prefix}${(index * 7919) % unique}@example.com`,
    ),
  );

/**
 * Stages an upload whose object sits outside `uploads/` (no notification fires), so a test decides which
 * code runs first: the ingest service with an injected fault, then the real function as Lambda's retry.
 */
const stageUpload = async (stack: LocalStack, content: string) => {
  const slot = await createSlot(stack, 'staged.csv', content.length);
  const objectKey = `staging/${slot.uploadId}.csv`;
  await s3Client(stack).send(
    new PutObjectCommand({
      Bucket: bucketName(stack),
      Key: objectKey,
      Body: content,
      ContentType: 'text/csv',
    }),
  );
  await documentClient(stack).send(
    new UpdateCommand({
      TableName: localName(stack, 'StorageUploadsTable'),
      Key: uploadKey(slot.uploadId),
      UpdateExpression: 'SET objectKey = :key',
      ExpressionAttributeValues: { ':key': objectKey },
    }),
  );
  return slot.uploadId;
};

/**
 * The ingest service exactly as deployed (with the test stack's `env`), but its DynamoDB client throws on the `nth` request that
 * `matches` — before sending it, or after it landed (the answer lost, as when a function dies right after).
 */
const crashingService = (
  stack: LocalStack,
  matches: (input: Record<string, unknown>) => boolean,
  nth: number,
  when: 'before' | 'after',
  env: Record<string, string>,
) =>
  createIngestServiceFromEnv(
    stack.resources.functionEnv(ingestFunction(stack), env),
    (clients: IngestClients) => {
      let seen = 0;
      clients.doc.middlewareStack.add(
        (next) => async (args) => {
          if (matches(args.input as Record<string, unknown>) && ++seen === nth) {
            if (when === 'after') await next(args);
            throw new Error('injected crash');
          }
          return next(args);
        },
        { step: 'initialize', name: 'injectedCrash' },
      );
      return clients;
    },
  ).service;

const isCheckpointSave = (input: Record<string, unknown>) =>
  String(input.UpdateExpression ?? '').includes('rowsDone');
const isGlobalAdd = (input: Record<string, unknown>) =>
  String(input.UpdateExpression ?? '').includes('#inflight :marker');

/** Everything an upload leaves behind that a retry must not change: compared with a clean reference. */
const expectLikeOneCleanRun = async (
  stack: LocalStack,
  uploadId: string,
  content: string,
  chunkSize: number,
) => {
  const reference = await referenceRun(content, uploadId, chunkSize);
  const upload = await readUpload(stack, uploadId);
  expect(upload?.state).toBe('verifying');
  expect(countersOf(upload ?? {})).toEqual(reference.counters);
  expect(upload?.verificationPending).toBe(reference.counters.accepted);
  expect(upload?.ingestLeaseToken).toBeUndefined();
  expect(upload?.ingestGlobalPending).toBeUndefined();
  expect((await resultRows(stack, uploadId)).slice(1).map((row) => row.slice(0, 3))).toEqual(
    reference.statuses,
  );
  const leads = await leadsOf(stack, uploadId);
  expect(leads.map((lead) => lead.row)).toEqual(reference.acceptedRows);
  const queued = verificationMessages(stack, uploadId).flatMap((message) =>
    message.leads.map((lead) => lead.row),
  );
  expect([...new Set(queued)].sort((a, b) => a - b)).toEqual(reference.acceptedRows);
  const hashes = (await allLeadHashes(stack)).filter((item) => item.uploadId === uploadId);
  expect(hashes.map((item) => item.row).sort((a, b) => a - b)).toEqual(reference.acceptedRows);
  expect((await globalCounters(stack)).inflight ?? new Set()).toEqual(new Set());
  return reference;
};

describe('ingest at scale, concurrently and under duplicate deliveries', () => {
  // The verification consumer stays off: these tests assert what the ingest itself wrote and sent.
  const stack = useLocalStack({ disabledConsumers: ['verification'] });

  it('ingests a 100k-row file, with exact counts and a complete result file', {
    timeout: 150_000,
  }, async () => {
    const content = scatteredFile('bulk', 100_000, 2_000);
    const before = await globalCounters(stack.current);

    const { slot, upload } = await uploadFile(stack.current, content);

    const reference = await referenceRun(content, slot.uploadId);
    expect(countersOf(upload)).toEqual(reference.counters);
    expect(reference.counters).toMatchObject({ rowsRead: 100_000, accepted: 2_000 });
    const rows = await resultRows(stack.current, slot.uploadId);
    expect(rows).toHaveLength(100_001);
    expect(rows.slice(1).map((row) => row.slice(0, 3))).toEqual(reference.statuses);
    expect(await leadsOf(stack.current, slot.uploadId)).toHaveLength(2_000);
    expect(
      verificationMessages(stack.current, slot.uploadId).flatMap((message) => message.leads),
    ).toHaveLength(2_000);
    const after = await globalCounters(stack.current);
    expect(Number(after.rowsRead) - Number(before.rowsRead ?? 0)).toBe(100_000);
    expect(Number(after.leadsAccepted) - Number(before.leadsAccepted ?? 0)).toBe(2_000);
  });

  it('accepts each email once overall when two uploads sharing emails are ingested at the same time', async () => {
    const shared = Array.from({ length: 1_000 }, (_, index) => `shared${index}@both.example`);
    const fileA = leadFile([
      ...shared,
      ...Array.from({ length: 500 }, (_, index) => `a${index}@both.example`),
    ]);
    const fileB = leadFile([
      ...Array.from({ length: 500 }, (_, index) => `b${index}@both.example`),
      ...[...shared].reverse(),
    ]);

    const [a, b] = await Promise.all([uploadFile(stack.current, fileA), uploadFile(stack.current, fileB)]);

    const leads = [
      ...(await leadsOf(stack.current, a.slot.uploadId)),
      ...(await leadsOf(stack.current, b.slot.uploadId)),
    ];
    const emails = leads.map((lead) => lead.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails).toHaveLength(2_000);
    expect((a.upload.accepted as number) + (b.upload.accepted as number)).toBe(2_000);
    expect((a.upload.duplicateOfEarlier as number) + (b.upload.duplicateOfEarlier as number)).toBe(1_000);
    const owners = (await allLeadHashes(stack.current)).filter((item) =>
      [a.slot.uploadId, b.slot.uploadId].includes(item.uploadId),
    );
    expect(owners).toHaveLength(2_000);
  });

  it('changes nothing when the same S3 event is delivered again after the ingest', async () => {
    const { slot } = await uploadFile(stack.current, leadFile(['again1@dup.example', 'again2@dup.example']));
    const before = {
      upload: await readUpload(stack.current, slot.uploadId),
      messages: verificationMessages(stack.current, slot.uploadId),
      global: await globalCounters(stack.current),
    };

    const { reports } = await invokeIngest(stack.current, objectCreated(stack.current, slot.uploadId));

    expect(reports).toEqual([{ outcome: 'ignored', reason: 'already-ingested' }]);
    expect(await readUpload(stack.current, slot.uploadId)).toEqual(before.upload);
    expect(verificationMessages(stack.current, slot.uploadId)).toEqual(before.messages);
    expect(await globalCounters(stack.current)).toEqual(before.global);
  });

  it('lets one of several simultaneous deliveries of one S3 event ingest, and re-checks later for the others', async () => {
    const content = leadFile(Array.from({ length: 300 }, (_, index) => `same${index}@event.example`));
    const slot = await createSlot(stack.current, 'twice.csv', content.length);
    const event = objectCreated(stack.current, slot.uploadId);
    // The PUT itself fires the notification; two more deliveries of the same event race it.
    await s3Client(stack.current).send(
      new PutObjectCommand({
        Bucket: bucketName(stack.current),
        Key: `uploads/${slot.uploadId}.csv`,
        Body: content,
        ContentType: 'text/csv',
      }),
    );
    const results = await Promise.all([
      invokeIngest(stack.current, event),
      invokeIngest(stack.current, event),
    ]);
    await waitForUpload(stack.current, slot.uploadId);

    const outcomes = results.flatMap((result) => result.reports.map((report) => report.outcome));
    expect(outcomes.every((outcome) => ['deferred', 'finished', 'ignored'].includes(outcome))).toBe(true);
    await expectLikeOneCleanRun(stack.current, slot.uploadId, content, 1_000);
    // Nobody sent the leads twice: the lease let exactly one delivery work.
    expect(
      verificationMessages(stack.current, slot.uploadId).flatMap((message) => message.leads),
    ).toHaveLength(300);
  });

  it('reports a malformed continuation as that record’s failure, and refuses an event it does not know', async () => {
    const event = loadEvent<{ Records: { body: string; messageId: string }[] }>(
      'sqs/ingest-continuation.json',
    );
    (event.Records[0] as { body: string }).body = '{"continuation":{"uploadId":"not an id"}}';

    const answer = await stack.current.lambdas.invoke(ingestFunction(stack.current), event);

    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId }] });
    await expect(stack.current.lambdas.invoke(ingestFunction(stack.current), { detail: {} })).rejects.toThrow(
      'Unrecognised ingest event',
    );
  });

  it('defers a delivery while another invocation holds the upload, with a timed re-check', async () => {
    const slot = await createSlot(stack.current, 'held.csv', 100);
    await documentClient(stack.current).send(
      new UpdateCommand({
        TableName: localName(stack.current, 'StorageUploadsTable'),
        Key: uploadKey(slot.uploadId),
        UpdateExpression: 'SET ingestLeaseToken = :token, ingestLeaseUntil = :until, #state = :ingesting',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':token': 'someone-else',
          ':until': Date.now() + 60_000,
          ':ingesting': 'ingesting',
        },
      }),
    );

    const { reports } = await invokeIngest(stack.current, objectCreated(stack.current, slot.uploadId));

    expect(reports).toEqual([{ outcome: 'deferred', until: expect.any(Number) }]);
    const recheck = stack.current.emulators.fauxqs.spy
      .getAllMessages()
      .find(
        (message) => message.service === 'sqs' && (message as { body: string }).body.includes(slot.uploadId),
      );
    expect(JSON.parse((recheck as { body: string }).body)).toEqual({
      continuation: { uploadId: slot.uploadId },
    });
  });
});

describe('ingest after a crash half way', () => {
  const CHUNK = 100;
  const CHUNK_ENV = { INGEST_CHUNK_SIZE: String(CHUNK) };
  // The verification consumer stays off: these tests assert what the ingest itself wrote and sent.
  const stack = useLocalStack({ env: CHUNK_ENV, disabledConsumers: ['verification'] });

  it('marks the upload failed after its retries, parks the event in the DLQ, and a redrive resumes it', async () => {
    const pepper = [...stack.current.resources.byLogicalId.entries()].find(([id]) =>
      id.startsWith('StorageLeadHashPepper'),
    )?.[1].arn as string;
    stack.current.emulators.secrets.set(pepper, 'too-short');
    let uploadId: string;
    try {
      const { slot, upload } = await uploadFile(stack.current, leadFile(['doomed@fail.example']));
      uploadId = slot.uploadId;

      expect(upload).toMatchObject({ state: 'failed', ingestFailures: 3 });
      expect(upload.failureReason).toBe(
        'Ingest failed 3 times in a row; last error: Error: The lead-hash pepper must be at least 16 bytes',
      );
    } finally {
      stack.current.emulators.secrets.set(pepper, DEV_LEAD_HASH_PEPPER);
    }
    const parked = stack.current.emulators.fauxqs.spy
      .getAllMessages()
      .filter(
        (message) =>
          message.service === 'sqs' &&
          message.status === 'published' &&
          message.queueName.startsWith('IngestDeadLetterQueue'),
      )
      .map((message) => JSON.parse((message as { body: string }).body))
      .find((record) => JSON.stringify(record.requestPayload).includes(uploadId));
    expect(parked).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { Records: [{ s3: { object: { key: `uploads/${uploadId}.csv` } } }] },
    });

    // The cause is fixed: the operator redrives the parked event (README, "Uploading leads").
    const { reports } = await invokeIngest(stack.current, parked.requestPayload);

    expect(reports[0]).toMatchObject({ outcome: 'finished', state: 'verifying' });
    const resumed = await readUpload(stack.current, uploadId);
    expect(resumed).toMatchObject({ state: 'verifying', accepted: 1 });
    expect(resumed?.failureReason).toBeUndefined();
  });

  it('ends like one clean run when it crashed before a checkpoint, and keeps what the verifier settled', async () => {
    const content = scatteredFile('crash', 1_000, 700);
    const uploadId = await stageUpload(stack.current, content);

    await expect(
      crashingService(stack.current, isCheckpointSave, 5, 'before', CHUNK_ENV).run(
        { uploadId },
        () => 300_000,
      ),
    ).rejects.toThrow('injected crash');
    const crashed = await readUpload(stack.current, uploadId);
    expect(crashed).toMatchObject({ state: 'ingesting', rowsDone: 400, ingestFailures: 1 });
    // Chunk 5 (rows 401-500) was stored and queued before the crash; the verifier already settled one lead.
    const settled = (await leadsOf(stack.current, uploadId)).find((lead) => lead.row > 400) ?? { row: 0 };
    await documentClient(stack.current).send(
      new UpdateCommand({
        TableName: localName(stack.current, 'StorageUploadsTable'),
        Key: leadKey(uploadId, settled.row),
        UpdateExpression: 'SET #status = :deliverable',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':deliverable': 'deliverable' },
      }),
    );

    const { reports } = await invokeIngest(stack.current, objectCreated(stack.current, uploadId));

    expect(reports[0]).toMatchObject({ outcome: 'finished', state: 'verifying' });
    await expectLikeOneCleanRun(stack.current, uploadId, content, CHUNK);
    const lead = (await leadsOf(stack.current, uploadId)).find((item) => item.row === settled.row);
    expect(lead?.status).toBe('deliverable');
  });

  it('counts the global counters once when it crashed right after adding them', async () => {
    const content = scatteredFile('global', 600, 400);
    const uploadId = await stageUpload(stack.current, content);
    const before = await globalCounters(stack.current);

    await expect(
      crashingService(stack.current, isGlobalAdd, 3, 'after', CHUNK_ENV).run({ uploadId }, () => 300_000),
    ).rejects.toThrow('injected crash');
    const { reports } = await invokeIngest(stack.current, objectCreated(stack.current, uploadId));

    expect(reports[0]).toMatchObject({ outcome: 'finished' });
    const reference = await expectLikeOneCleanRun(stack.current, uploadId, content, CHUNK);
    const after = await globalCounters(stack.current);
    const added = (name: 'rowsRead' | 'leadsAccepted' | 'rowsRejected' | 'duplicatesInFile') =>
      Number(after[name] ?? 0) - Number(before[name] ?? 0);
    expect([
      added('rowsRead'),
      added('leadsAccepted'),
      added('duplicatesInFile'),
      added('rowsRejected'),
    ]).toEqual([
      reference.counters.rowsRead,
      reference.counters.accepted,
      reference.counters.duplicateInFile,
      reference.counters.rejected,
    ]);
  });

  it('fails at once, without retries, when the file disappears under it', async () => {
    const content = leadFile(['gone@vanish.example']);
    const uploadId = await stageUpload(stack.current, content);
    await s3Client(stack.current).send(
      new DeleteObjectCommand({ Bucket: bucketName(stack.current), Key: `staging/${uploadId}.csv` }),
    );

    const { reports } = await invokeIngest(stack.current, objectCreated(stack.current, uploadId));

    expect(reports).toEqual([
      { outcome: 'refused', state: 'failed', reason: 'The uploaded file no longer exists' },
    ]);
  });
});

describe('ingest of a file longer than one invocation', () => {
  // The verification consumer stays off: these tests assert what the ingest itself wrote and sent.
  const stack = useLocalStack({
    disabledConsumers: ['verification'],
    // Every invocation finds its time short after one chunk, so the file goes on in fresh invocations.
    env: { INGEST_CHUNK_SIZE: '100', INGEST_MIN_REMAINING_MS: String(10 * 60_000) },
  });

  it('hands over from invocation to invocation through its queue and ends like one clean run', {
    timeout: 60_000,
  }, async () => {
    const content = scatteredFile('relay', 1_000, 800);

    const { slot } = await uploadFile(stack.current, content);

    await expectLikeOneCleanRun(stack.current, slot.uploadId, content, 100);
    const handovers = stack.current.emulators.fauxqs.spy
      .getAllMessages()
      .filter(
        (message) =>
          message.service === 'sqs' &&
          message.status === 'published' &&
          (message as { body: string }).body.includes('leaseToken'),
      );
    expect(handovers.length).toBe(9);
    expect(
      verificationMessages(stack.current, slot.uploadId).flatMap((message) => message.leads),
    ).toHaveLength((await readUpload(stack.current, slot.uploadId))?.accepted as number);
  });
});

describe('the stale-upload sweeper', () => {
  const CHUNK_ENV = { INGEST_CHUNK_SIZE: '100' };
  const stack = useLocalStack({ env: CHUNK_ENV, disabledConsumers: ['verification'] });
  const sweeperFunction = () => stack.current.lambdas.functionsOf('stale-upload-sweeper')[0] as string;
  const sweeper = (metrics: SweepMetrics = () => {}) =>
    createSweeper(stack.current.resources.functionEnv(sweeperFunction()), { metrics });

  /** An upload whose first invocation died after a chunk, then left alone for an hour: nobody will come. */
  const stuckUpload = async (content: string, sweepResumes = 0) => {
    const uploadId = await stageUpload(stack.current, content);
    await expect(
      crashingService(stack.current, isCheckpointSave, 2, 'before', CHUNK_ENV).run(
        { uploadId },
        () => 300_000,
      ),
    ).rejects.toThrow('injected crash');
    await documentClient(stack.current).send(
      new UpdateCommand({
        TableName: localName(stack.current, 'StorageUploadsTable'),
        Key: uploadKey(uploadId),
        UpdateExpression: 'SET updatedAt = :longAgo, sweepResumes = :resumes',
        ExpressionAttributeValues: {
          ':longAgo': new Date(Date.now() - 60 * 60_000).toISOString(),
          ':resumes': sweepResumes,
        },
      }),
    );
    return uploadId;
  };

  it('resumes a stuck upload from its checkpoint on its scheduled tick, and it ends like one clean run', {
    timeout: 60_000,
  }, async () => {
    const content = scatteredFile('swept', 450, 400);
    const uploadId = await stuckUpload(content);
    expect((await readUpload(stack.current, uploadId))?.rowsRead).toBe(100);

    const report = (await stack.current.lambdas.invoke(
      sweeperFunction(),
      loadEvent('eventbridge/stale-upload-sweep-tick.json'),
    )) as SweepReport;

    expect(report.resumed).toEqual([uploadId]);
    const overview = await callApi<{ uploads: { stuck: number; stuckUploadIds: string[] } }>(
      stack.current,
      ADMIN,
      'GET',
      '/admin/overview',
    );
    expect(overview.body.uploads).toMatchObject({ stuck: 1, stuckUploadIds: [uploadId] });
    const health = await callApi<{ stuckUploads: number; reasons: string[] }>(
      stack.current,
      ADMIN,
      'GET',
      '/admin/scheduler/health',
    );
    expect(health.body.stuckUploads).toBe(1);
    expect(health.body.reasons).toEqual(expect.arrayContaining([expect.stringContaining(uploadId)]));

    await stack.current.eventSources.waitForIdle();
    await expectLikeOneCleanRun(stack.current, uploadId, content, 100);
    expect((await sweeper()()).stuck).toEqual([]);
  });

  it('gives up after the last resume with the last error, publishing the count its alarm watches', async () => {
    const uploadId = await stuckUpload(scatteredFile('given-up', 250, 200), 3);
    const published: SweepReport[] = [];

    const report = await sweeper((reading) => published.push(reading))();

    expect(report.failed).toEqual([uploadId]);
    expect(published.map((reading) => reading.failed)).toEqual([[uploadId]]);
    expect(await readUpload(stack.current, uploadId)).toMatchObject({
      state: 'failed',
      ingestResumable: true,
      failureReason:
        'Ingest made no progress for 20 minutes after 3 resume(s) from its checkpoint; last error: Error: injected crash',
    });
    // A redrive still resumes it from its checkpoint: the first chunk stays counted once.
    expect((await readUpload(stack.current, uploadId))?.rowsRead).toBe(100);
  });
});

describe('the dedupe-key setting', () => {
  const stack = useLocalStack({ disabledConsumers: ['verification'] });

  it('refuses to ingest once provider folding is switched after leads exist, saying how to fix it', async () => {
    await uploadFile(stack.current, leadFile(['fold-first@gmail.com']));
    const uploadId = await stageUpload(stack.current, leadFile(['f.o.l.d.first@gmail.com']));
    const switched = createIngestServiceFromEnv(
      stack.current.resources.functionEnv(ingestFunction(stack.current), { FOLD_GMAIL_ALIASES: 'true' }),
    ).service;

    await expect(switched.run({ uploadId }, () => 300_000)).rejects.toThrow(
      'The lead hashes were made with uploads.foldProviderAliases = false, but this ingest runs with true',
    );
    expect(await readUpload(stack.current, uploadId)).toMatchObject({
      state: 'ingesting',
      lastError: expect.stringContaining('Set uploads.foldProviderAliases back to false'),
    });
    expect(await leadsOf(stack.current, uploadId)).toEqual([]);
  });
});
