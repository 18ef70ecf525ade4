import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { awsClientConfig } from '../../lambdas/shared/aws';
import { addCounters } from '../../lambdas/shared/counters';
import {
  GLOBAL_COUNTERS_KEY,
  LEAD_SK_PREFIX,
  type LeadItem,
  leadKey,
  type UploadItem,
  type UploadState,
  uploadKey,
  uploadListIndexKeys,
  uploadStateIndexKeys,
  type VerificationMessage,
} from '../../lambdas/shared/model';
import type { LocalStack } from '../../local/runtime';
import { documentClient, localName } from './clients';

export interface SeededUpload {
  uploadId: string;
  /** Row -> email, rows from 1 in file order. */
  emails: Map<number, string>;
  /** The messages ingest would send: up to 100 leads each. */
  messages: VerificationMessage[];
  /** The first message (small uploads have only one). */
  message: VerificationMessage;
}

export const tablesOf = (stack: LocalStack) => ({
  uploads: localName(stack, 'StorageUploadsTable'),
  control: localName(stack, 'StorageControlTable'),
});

/**
 * Stores an upload and its pending leads the way ingest leaves them (ingest is another function): the upload
 * in `verifying` (or the given state) with `verificationPending` = its leads, each lead `pending`, and the
 * global counters raised by as many pending leads.
 */
export const seedUpload = async (
  stack: LocalStack,
  emails: readonly string[],
  options: { state?: UploadState; leadsPerMessage?: number } = {},
): Promise<SeededUpload> => {
  const doc = documentClient(stack);
  const tables = tablesOf(stack);
  const uploadId = ulid();
  const createdAt = new Date().toISOString();
  const state = options.state ?? 'verifying';
  const upload: UploadItem = {
    ...uploadKey(uploadId),
    sk: 'UPLOAD',
    uploadId,
    state,
    fileName: 'leads.csv',
    sizeBytes: 1_000,
    uploadedBy: 'test-admin',
    createdAt,
    updatedAt: createdAt,
    objectKey: `uploads/${uploadId}.csv`,
    rowsRead: emails.length,
    accepted: emails.length,
    verificationPending: emails.length,
  };
  await doc.send(
    new PutCommand({
      TableName: tables.uploads,
      Item: {
        ...upload,
        ...uploadStateIndexKeys(state, createdAt, uploadId),
        ...uploadListIndexKeys(uploadId),
      },
    }),
  );
  const rows = new Map(emails.map((email, index) => [index + 1, email]));
  const leads: LeadItem[] = [...rows].map(([row, email]) => ({
    ...leadKey(uploadId, row),
    uploadId,
    row,
    email,
    emailHash: `hash-${uploadId}-${row}`,
    status: 'pending',
    createdAt,
  }));
  for (let start = 0; start < leads.length; start += 25) {
    await doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [tables.uploads]: leads.slice(start, start + 25).map((lead) => ({ PutRequest: { Item: lead } })),
        },
      }),
    );
  }
  await addCounters(doc, tables.control, GLOBAL_COUNTERS_KEY, {
    leadsAccepted: emails.length,
    leadsPendingVerification: emails.length,
  });
  const perMessage = options.leadsPerMessage ?? 100;
  const messages: VerificationMessage[] = [];
  for (let start = 0; start < leads.length; start += perMessage) {
    messages.push({
      uploadId,
      leads: leads.slice(start, start + perMessage).map(({ row, email }) => ({ row, email })),
    });
  }
  const [message] = messages;
  if (!message) throw new Error('seedUpload needs at least one email');
  return { uploadId, emails: rows, messages, message };
};

export const verificationQueueUrl = (stack: LocalStack) => localName(stack, 'VerificationQueue');
export const deadLetterQueueUrl = (stack: LocalStack) => localName(stack, 'VerificationDeadLetterQueue');

export const sqsClient = (stack: LocalStack) =>
  new SQSClient(awsClientConfig(stack.resources.baseEnv, 'SQS'));

/** Sends raw bodies to the verification queue, as ingest does (up to 10 per request). */
export const sendBodies = async (stack: LocalStack, bodies: readonly string[]) => {
  const sqs = sqsClient(stack);
  for (let start = 0; start < bodies.length; start += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: verificationQueueUrl(stack),
        Entries: bodies
          .slice(start, start + 10)
          .map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );
  }
  sqs.destroy();
};

export const sendMessages = (stack: LocalStack, messages: readonly VerificationMessage[]) =>
  sendBodies(
    stack,
    messages.map((message) => JSON.stringify(message)),
  );

export const readUpload = async (stack: LocalStack, uploadId: string) => {
  const { Item } = await documentClient(stack).send(
    new GetCommand({ TableName: tablesOf(stack).uploads, Key: uploadKey(uploadId), ConsistentRead: true }),
  );
  return Item as (UploadItem & Record<string, unknown>) | undefined;
};

/** Every lead of an upload, in file order (every page of the Query). */
export const readLeads = async (stack: LocalStack, uploadId: string) => {
  const leads: (LeadItem & Record<string, unknown>)[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await documentClient(stack).send(
      new QueryCommand({
        TableName: tablesOf(stack).uploads,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lead)',
        ExpressionAttributeValues: { ':pk': uploadKey(uploadId).pk, ':lead': LEAD_SK_PREFIX },
        ConsistentRead: true,
        ExclusiveStartKey: cursor,
      }),
    );
    leads.push(...((page.Items ?? []) as (LeadItem & Record<string, unknown>)[]));
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return leads;
};

export const readGlobalCounters = async (stack: LocalStack) => {
  const { Item } = await documentClient(stack).send(
    new GetCommand({ TableName: tablesOf(stack).control, Key: GLOBAL_COUNTERS_KEY, ConsistentRead: true }),
  );
  return (Item ?? {}) as Record<string, unknown>;
};

const COUNTED = [
  'leadsPendingVerification',
  'leadsDeliverable',
  'leadsUndeliverable',
  'leadsAvailable',
  'queuedUploads',
] as const;

/** The change of the global counters verification writes, between two reads. */
export const globalDelta = (before: Record<string, unknown>, after: Record<string, unknown>) =>
  Object.fromEntries(COUNTED.map((name) => [name, Number(after[name] ?? 0) - Number(before[name] ?? 0)]));

/**
 * The upload's verification counters recounted from its lead items: what the stored counters must equal.
 * A lead awaiting its re-check is still pending.
 */
export const recountUpload = async (stack: LocalStack, uploadId: string) => {
  const leads = await readLeads(stack, uploadId);
  const count = (status: string) => leads.filter((lead) => lead.status === status).length;
  return {
    verificationPending: count('pending') + count('recheck'),
    deliverable: count('deliverable'),
    undeliverable: count('rejected'),
  };
};

export const storedUploadCounters = async (stack: LocalStack, uploadId: string) => {
  const upload = await readUpload(stack, uploadId);
  return {
    verificationPending: upload?.verificationPending ?? 0,
    deliverable: upload?.deliverable ?? 0,
    undeliverable: upload?.undeliverable ?? 0,
  };
};
