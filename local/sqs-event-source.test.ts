import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { type SqsEventSourceMapping, succeededMessages } from './sqs-event-source';

// Lambda's rules for what an SQS batch invocation's result means; the poller deletes exactly these.
const mapping = (reportBatchItemFailures: boolean): SqsEventSourceMapping => ({
  logicalId: 'Mapping',
  functionLogicalId: 'Fn',
  queueUrl: 'http://queue',
  queueArn: 'arn:aws:sqs:us-east-1:000000000000:queue',
  batchSize: 5,
  maxBatchingWindowMs: 0,
  reportBatchItemFailures,
  maxConcurrency: 2,
});
const batch: Message[] = ['a', 'b', 'c'].map((id) => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: '{}',
}));
const ids = (messages: Message[]) => messages.map((message) => message.MessageId);

describe('which records of a batch succeeded', () => {
  it('without ReportBatchItemFailures, a returned invocation succeeded for every record', () => {
    expect(
      ids(succeededMessages(mapping(false), batch, { batchItemFailures: [{ itemIdentifier: 'a' }] })),
    ).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['no response', undefined],
    ['an empty response', {}],
    ['an empty failure list', { batchItemFailures: [] }],
  ])('%s means every record succeeded', (_, result) => {
    expect(ids(succeededMessages(mapping(true), batch, result))).toEqual(['a', 'b', 'c']);
  });

  it('the reported failures stay; the others succeeded', () => {
    const result = { batchItemFailures: [{ itemIdentifier: 'b' }] };
    expect(ids(succeededMessages(mapping(true), batch, result))).toEqual(['a', 'c']);
  });

  it.each([
    ['an unknown id', { batchItemFailures: [{ itemIdentifier: 'z' }] }],
    ['an empty id', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a failure without an id', { batchItemFailures: [{}] }],
    ['a list that is not a list', { batchItemFailures: 'b' }],
  ])('%s fails the whole batch, as Lambda does', (_, result) => {
    expect(succeededMessages(mapping(true), batch, result)).toEqual([]);
  });
});
