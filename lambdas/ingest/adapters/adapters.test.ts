import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Lead } from '../domain/ports';
import { DynamoLeadHashStore } from './lead-hash-store';
import { DynamoLeadStore } from './lead-store';
import { csvLine, S3ResultSink } from './result-sink';
import { RefusedMessageError, SqsVerificationQueue } from './verification-queue';

/**
 * The adapters' failure branches, against mocked SDK clients (the happy paths run on the emulators in
 * test/integration): partial batch failures, lost races, refusals.
 */

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const docMock = mockClient(DynamoDBDocumentClient);
const sqsMock = mockClient(SQSClient);
const s3Mock = mockClient(S3Client);
beforeEach(() => {
  docMock.reset();
  sqsMock.reset();
  s3Mock.reset();
});

const lostRace = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    Item: item as never,
  });

describe('DynamoLeadHashStore', () => {
  const store = () => new DynamoLeadHashStore(doc, 'hashes', () => 0);

  it('reads the winner from the refusal when DynamoDB returns it: a lost race is a duplicate, no extra read', async () => {
    docMock
      .on(PutCommand)
      .rejects(lostRace({ hash: { S: 'h' }, uploadId: { S: 'EARLIER' }, row: { N: '7' } }));

    expect(await store().claim('h', { uploadId: 'NOW', row: 1 })).toEqual({
      duplicateOf: { uploadId: 'EARLIER', row: 7 },
    });
    expect(docMock.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('reads the winner with a consistent GetItem when the refusal carries no item (DynamoDB Local, dynalite)', async () => {
    docMock.on(PutCommand).rejects(lostRace());
    docMock.on(GetCommand).resolves({ Item: { hash: 'h', uploadId: 'EARLIER', row: 3 } });

    expect(await store().claim('h', { uploadId: 'NOW', row: 1 })).toEqual({
      duplicateOf: { uploadId: 'EARLIER', row: 3 },
    });
    expect(docMock.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({ ConsistentRead: true });
  });

  it('claims with a condition that lets the same row claim again (a replayed chunk)', async () => {
    docMock.on(PutCommand).resolves({});

    expect(await store().claim('h', { uploadId: 'NOW', row: 4 })).toBe('claimed');
    expect(docMock.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      ConditionExpression: 'attribute_not_exists(#hash) OR (uploadId = :uploadId AND #row = :row)',
      ExpressionAttributeValues: { ':uploadId': 'NOW', ':row': 4 },
    });
  });

  it('passes other errors on', async () => {
    docMock.on(PutCommand).rejects(new Error('throttled'));
    await expect(store().claim('h', { uploadId: 'NOW', row: 1 })).rejects.toThrow('throttled');
  });

  it('looks hashes up 100 keys a request, once each, and asks again for unprocessed keys', async () => {
    const hashes = Array.from({ length: 150 }, (_, index) => `h${index}`);
    docMock
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { hashes: [{ hash: 'h1', uploadId: 'U', row: 1 }] },
        UnprocessedKeys: { hashes: { Keys: [{ hash: 'h2' }] } },
      })
      .resolvesOnce({ Responses: { hashes: [{ hash: 'h2', uploadId: 'U', row: 2 }] } })
      .resolves({ Responses: { hashes: [{ hash: 'h120', uploadId: 'V', row: 9 }] } });

    const owners = await store().findOwners([...hashes, 'h1']);

    expect([...owners.entries()]).toEqual([
      ['h1', { uploadId: 'U', row: 1 }],
      ['h2', { uploadId: 'U', row: 2 }],
      ['h120', { uploadId: 'V', row: 9 }],
    ]);
    const keyCounts = docMock
      .commandCalls(BatchGetCommand)
      .map((call) => call.args[0].input.RequestItems?.hashes?.Keys?.length);
    expect(keyCounts).toEqual([100, 1, 50]);
  });
});

describe('DynamoLeadStore', () => {
  const leads: Lead[] = Array.from({ length: 30 }, (_, index) => ({
    uploadId: 'U',
    row: index + 1,
    email: `l${index}@x.example`,
    leadHash: `h${index}`,
    fields: { firstName: 'F' },
    extras: {},
  }));

  it('writes 25 leads a request and retries what DynamoDB left unprocessed', async () => {
    const leftOver = { PutRequest: { Item: { pk: 'UPLOAD#U', sk: 'LEAD#000000001' } } };
    docMock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { uploads: [leftOver] } })
      .resolves({});

    await new DynamoLeadStore(doc, 'uploads', { replayFirstWrite: false }).putLeads('U', leads);

    const sizes = docMock
      .commandCalls(BatchWriteCommand)
      .map((call) => call.args[0].input.RequestItems?.uploads?.length);
    expect(sizes.sort()).toEqual([1, 25, 5].sort());
    const first = docMock.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.uploads?.[0];
    expect(first?.PutRequest?.Item).toMatchObject({
      pk: 'UPLOAD#U',
      sk: 'LEAD#000000001',
      status: 'pending',
      emailHash: 'h0',
      firstName: 'F',
    });
  });

  it('replaying, puts each lead only if absent (never back to pending), then batches again', async () => {
    docMock.on(PutCommand).rejectsOnce(lostRace()).resolves({});
    docMock.on(BatchWriteCommand).resolves({});
    const store = new DynamoLeadStore(doc, 'uploads', { replayFirstWrite: true });

    await store.putLeads('U', leads.slice(0, 3));
    await store.putLeads('U', leads.slice(3, 6));

    expect(docMock.commandCalls(PutCommand).map((call) => call.args[0].input.ConditionExpression)).toEqual([
      'attribute_not_exists(pk)',
      'attribute_not_exists(pk)',
      'attribute_not_exists(pk)',
    ]);
    expect(docMock.commandCalls(BatchWriteCommand)).toHaveLength(1);
  });
});

describe('SqsVerificationQueue', () => {
  const messages = [
    { batchId: 'U:1', uploadId: 'U', leads: [{ row: 1, email: 'a@x.example' }] },
    { batchId: 'U:2', uploadId: 'U', leads: [{ row: 2, email: 'b@x.example' }] },
  ];
  const queue = () => new SqsVerificationQueue(new SQSClient({ region: 'us-east-1' }), 'https://queue');

  it('sends the shared message shape, and resends only the entries of a partly failed batch', async () => {
    sqsMock
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [{ Id: 'm1', SenderFault: false, Code: 'InternalError' }] })
      .resolves({ Failed: [] });

    await queue().sendBatch(messages);

    const calls = sqsMock.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries);
    expect(calls[0]?.map((entry) => JSON.parse(entry.MessageBody ?? ''))).toEqual([
      { uploadId: 'U', leads: [{ row: 1, email: 'a@x.example' }] },
      { uploadId: 'U', leads: [{ row: 2, email: 'b@x.example' }] },
    ]);
    expect(calls[1]?.map((entry) => entry.Id)).toEqual(['m1']);
  });

  it('fails the chunk when SQS refuses an entry as the sender’s fault', async () => {
    sqsMock
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: 'm0', SenderFault: true, Code: 'InvalidParameterValue' }] });

    await expect(queue().sendBatch(messages)).rejects.toBeInstanceOf(RefusedMessageError);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });
});

describe('the result file', () => {
  it('escapes formula cells before quoting, and quotes separators, quotes and line breaks', () => {
    expect(
      csvLine([3, 'rejected', '"E-mail" is not valid', '=1+2', '@SUM(A1)', 'a,b', 'line\nbreak', '-5']),
    ).toBe('3,rejected,"""E-mail"" is not valid",\'=1+2,\'@SUM(A1),"a,b","line\nbreak",\'-5\r\n');
  });

  it('assembles the parts in row order behind the header, and refuses a gap between parts', async () => {
    const sink = new S3ResultSink(new S3Client({ region: 'us-east-1' }), 'bucket');
    s3Mock.on(PutObjectCommand).resolves({});
    s3Mock.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: 'results/parts/U/000000003-000000004.csv' },
        { Key: 'results/parts/U/000000001-000000002.csv' },
      ],
    });
    const body = (text: string) => ({
      Body: { transformToByteArray: async () => Buffer.from(text) } as never,
    });
    s3Mock
      .on(GetObjectCommand, { Key: 'results/parts/U/000000001-000000002.csv' })
      .resolves(body('1,accepted,,a\r\n2,accepted,,b\r\n'))
      .on(GetObjectCommand, { Key: 'results/parts/U/000000003-000000004.csv' })
      .resolves(body('3,accepted,,c\r\n4,accepted,,d\r\n'));

    await sink.complete('U', ['email']);

    const written = s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(written?.Key).toBe('results/U.csv');
    expect(String(written?.Body)).toBe(
      '\uFEFFrow,status,reason,email\r\n1,accepted,,a\r\n2,accepted,,b\r\n3,accepted,,c\r\n4,accepted,,d\r\n',
    );
    expect(sink.resultKey).toBe('results/U.csv');

    s3Mock
      .on(ListObjectsV2Command)
      .resolves({ Contents: [{ Key: 'results/parts/U/000000003-000000004.csv' }] });
    await expect(
      new S3ResultSink(new S3Client({ region: 'us-east-1' }), 'bucket').complete('U', ['email']),
    ).rejects.toThrow('do not follow on at row 1');
  });

  it('switches to a multipart upload of 8 MiB parts for a large file', async () => {
    const sink = new S3ResultSink(new S3Client({ region: 'us-east-1' }), 'bucket');
    const part = Buffer.alloc(3 * 1024 * 1024, 'x');
    s3Mock.on(ListObjectsV2Command).resolves({
      Contents: [1, 2, 3, 4].map((index) => ({
        Key: `results/parts/U/${String(index).padStart(9, '0')}-${String(index).padStart(9, '0')}.csv`,
      })),
    });
    s3Mock.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => part } as never });
    s3Mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'mp' });
    s3Mock.on(UploadPartCommand).resolves({ ETag: '"e"' });
    s3Mock.on(CompleteMultipartUploadCommand).resolves({});

    await sink.complete('U', ['email']);

    const sizes = s3Mock
      .commandCalls(UploadPartCommand)
      .map((call) => (call.args[0].input.Body as Buffer).length);
    expect(sizes).toHaveLength(2);
    expect(sizes[0]).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(
      4 * part.length + Buffer.byteLength('\uFEFFrow,status,reason,email\r\n'),
    );
    expect(
      s3Mock.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input.MultipartUpload?.Parts,
    ).toEqual([
      { ETag: '"e"', PartNumber: 1 },
      { ETag: '"e"', PartNumber: 2 },
    ]);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
