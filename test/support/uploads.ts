import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { documentClient, localName } from '../../fixtures/clients';
import { awsClientConfig } from '../../lambdas/shared/aws';
import {
  GLOBAL_COUNTERS_KEY,
  type GlobalCounters,
  type LeadHashItem,
  type LeadItem,
  type UploadItem,
  type UploadState,
  uploadKey,
  type VerificationMessage,
} from '../../lambdas/shared/model';
import type { LocalStack } from '../../local/runtime';
import { ADMIN, callApi } from './api';

/** Helpers for upload and ingest tests: the admin API over HTTP, the presigned POST, and what ingest left. */

export interface Slot {
  uploadId: string;
  upload: { url: string; fields: Record<string, string>; expiresInSeconds: number };
}

export const createSlot = async (
  stack: LocalStack,
  fileName = 'leads.csv',
  sizeBytes = 1024,
): Promise<Slot> => {
  const { status, body } = await callApi<Slot>(stack, ADMIN, 'POST', '/admin/uploads', {
    fileName,
    sizeBytes,
  });
  if (status !== 201) throw new Error(`slot refused: ${status} ${JSON.stringify(body)}`);
  return body;
};

/** The browser's part: a multipart form with the presigned fields, then the file. */
export const postFile = async (slot: Slot, content: string | Uint8Array, contentType = 'text/csv') => {
  const form = new FormData();
  for (const [name, value] of Object.entries(slot.upload.fields)) {
    form.append(name, name === 'Content-Type' ? contentType : value);
  }
  form.append('file', new Blob([content], { type: contentType }), 'leads.csv');
  const response = await fetch(slot.upload.url, { method: 'POST', body: form });
  if (response.status >= 300)
    throw new Error(`S3 refused the POST: ${response.status} ${await response.text()}`);
};

/** Slot + POST + wait until the ingest has settled it. */
export const uploadFile = async (
  stack: LocalStack,
  content: string | Uint8Array,
  contentType = 'text/csv',
) => {
  const slot = await createSlot(stack, 'leads.csv', Math.max(1, Buffer.byteLength(content)));
  await postFile(slot, content, contentType);
  return { slot, upload: await waitForUpload(stack, slot.uploadId) };
};

const SETTLED: readonly UploadState[] = [
  'verifying',
  'queued',
  'completed',
  'failed',
  'duplicate_file',
  'exhausted',
];

export const readUpload = async (stack: LocalStack, uploadId: string) => {
  const { Item } = await documentClient(stack).send(
    new GetCommand({
      TableName: localName(stack, 'StorageUploadsTable'),
      Key: uploadKey(uploadId),
      ConsistentRead: true,
    }),
  );
  return Item as (UploadItem & Record<string, unknown>) | undefined;
};

/** Polls the upload until the ingest is done with it (and no ingest invocation is still running). */
export const waitForUpload = async (stack: LocalStack, uploadId: string, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const upload = await readUpload(stack, uploadId);
    if (upload && SETTLED.includes(upload.state)) {
      await stack.ingest.idle();
      return (await readUpload(stack, uploadId)) as UploadItem & Record<string, unknown>;
    }
    if (Date.now() > deadline) throw new Error(`upload ${uploadId} still ${upload?.state ?? 'missing'}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

export const leadsOf = async (stack: LocalStack, uploadId: string): Promise<LeadItem[]> => {
  const leads: LeadItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient(stack).send(
      new QueryCommand({
        TableName: localName(stack, 'StorageUploadsTable'),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lead)',
        ExpressionAttributeValues: { ':pk': `UPLOAD#${uploadId}`, ':lead': 'LEAD#' },
        ExclusiveStartKey: start,
      }),
    );
    leads.push(...((page.Items ?? []) as LeadItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return leads;
};

/** Every lead-hash item (a Scan: fine for a test's small table, never in the product). */
export const allLeadHashes = async (stack: LocalStack): Promise<LeadHashItem[]> => {
  const items: LeadHashItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient(stack).send(
      new ScanCommand({ TableName: localName(stack, 'StorageLeadHashesTable'), ExclusiveStartKey: start }),
    );
    items.push(...((page.Items ?? []) as LeadHashItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

export const globalCounters = async (stack: LocalStack) => {
  const { Item } = await documentClient(stack).send(
    new GetCommand({
      TableName: localName(stack, 'StorageControlTable'),
      Key: GLOBAL_COUNTERS_KEY,
      ConsistentRead: true,
    }),
  );
  return (Item ?? {}) as Partial<GlobalCounters> & { inflight?: Set<string> };
};

/** The local name of the verification queue (the logical id; its policy's id shares the prefix). */
const verificationQueueName = (stack: LocalStack) =>
  [...stack.resources.byLogicalId.keys()].find(
    (id) => id.startsWith('VerificationQueue') && stack.template.Resources[id]?.Type === 'AWS::SQS::Queue',
  );

/** Every message ever sent to the verification queue for an upload (fauxqs' spy: even if consumed since). */
export const verificationMessages = (stack: LocalStack, uploadId: string): VerificationMessage[] =>
  stack.emulators.fauxqs.spy
    .getAllMessages()
    .filter(
      (message) =>
        message.service === 'sqs' &&
        message.status === 'published' &&
        message.queueName === verificationQueueName(stack),
    )
    .map((message) => JSON.parse((message as { body: string }).body) as VerificationMessage)
    .filter((message) => message.uploadId === uploadId);

export const s3Client = (stack: LocalStack) => new S3Client(awsClientConfig(stack.resources.baseEnv, 'S3'));
export const bucketName = (stack: LocalStack) => localName(stack, 'StorageUploadBucket');

/** The result file as rows of strings (header first), read from S3. */
export const resultRows = async (stack: LocalStack, uploadId: string): Promise<string[][]> => {
  const { Body } = await s3Client(stack).send(
    new GetObjectCommand({ Bucket: bucketName(stack), Key: `results/${uploadId}.csv` }),
  );
  return parse(await (Body as { transformToString(): Promise<string> }).transformToString(), {
    bom: true,
    relax_column_count: true,
  });
};

/** Writes an upload's object directly (as a PUT), for the bad-input cases a browser POST cannot make. */
export const putObject = (
  stack: LocalStack,
  key: string,
  body: string | Uint8Array,
  contentType = 'text/csv',
) =>
  s3Client(stack).send(
    new PutObjectCommand({ Bucket: bucketName(stack), Key: key, Body: body, ContentType: contentType }),
  );

/** A file of `rows` leads with a fixed seed: `user<n>@example.com` and a few columns. */
export const leadFile = (emails: readonly string[]) =>
  `email,first name,company\n${emails.map((email, index) => `${email},Name ${index},Company ${index % 7}`).join('\n')}\n`;
