import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { localName } from '../../fixtures/clients';
import { addCounters } from '../../lambdas/shared/counters';
import {
  GLOBAL_COUNTERS_KEY,
  type LeadItem,
  type LeadStatus,
  leadKey,
  type UploadItem,
  uploadKey,
  uploadListIndexKeys,
  uploadStateIndexKeys,
} from '../../lambdas/shared/model';
import type { LocalStack } from '../../local/runtime';

/**
 * Seeds what the ingest and verification issues produce, straight into the tables with the keys of
 * model.ts: a queued upload and its settled leads.
 */
export const seedQueuedUpload = async (
  doc: DynamoDBDocumentClient,
  tables: { uploads: string; control: string },
  upload: { uploadId: string; createdAt: string; statuses: LeadStatus[]; maxAssignmentsPerLead?: number },
): Promise<LeadItem[]> => {
  const table = tables.uploads;
  const deliverable = upload.statuses.filter((status) => status === 'deliverable').length;
  const item: UploadItem = {
    ...uploadKey(upload.uploadId),
    ...uploadStateIndexKeys('queued', upload.createdAt, upload.uploadId),
    ...uploadListIndexKeys(upload.uploadId),
    sk: 'UPLOAD',
    uploadId: upload.uploadId,
    state: 'queued',
    fileName: `${upload.uploadId}.csv`,
    sizeBytes: 100,
    uploadedBy: 'admin-1',
    createdAt: upload.createdAt,
    updatedAt: upload.createdAt,
    objectKey: `uploads/${upload.uploadId}.csv`,
    accepted: upload.statuses.length,
    deliverable,
    assigned: 0,
  };
  await doc.send(new PutCommand({ TableName: table, Item: item }));
  const leads: LeadItem[] = upload.statuses.map((status, index) => ({
    ...leadKey(upload.uploadId, index + 2),
    uploadId: upload.uploadId,
    row: index + 2,
    email: `lead${index}@${upload.uploadId.toLowerCase()}.example`,
    emailHash: `hash-${upload.uploadId}-${index}`,
    firstName: `First${index}`,
    lastName: `Last${index}`,
    company: `Company ${index}`,
    status,
    createdAt: upload.createdAt,
  }));
  for (let start = 0; start < leads.length; start += 25) {
    await doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [table]: leads.slice(start, start + 25).map((lead) => ({ PutRequest: { Item: lead } })),
        },
      }),
    );
  }
  // What verification counts when it queues an upload.
  await addCounters(doc, tables.control, GLOBAL_COUNTERS_KEY, {
    leadsDeliverable: deliverable,
    leadsAvailable: deliverable * (upload.maxAssignmentsPerLead ?? 1),
    queuedUploads: 1,
  });
  return leads;
};

export const tablesOf = (stack: LocalStack) => ({
  uploads: localName(stack, 'StorageUploadsTable'),
  members: localName(stack, 'StorageMembersTable'),
  control: localName(stack, 'StorageControlTable'),
});

/** Every item of one partition (a member's assignments, an upload's leads). */
export const queryPartition = async (
  doc: DynamoDBDocumentClient,
  table: string,
  pk: string,
  skPrefix: string,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ExclusiveStartKey: cursor,
      }),
    );
    items.push(...(page.Items ?? []));
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return items;
};

/** Mails the SES emulator received for these addresses (its store is shared by the whole process). */
export const mailsTo = async (stack: LocalStack, addresses: readonly string[]) => {
  const response = await fetch(`${stack.emulators.endpoints.SES}/store`);
  const { emails } = (await response.json()) as {
    emails: { destination: { to: string[] }; subject: string; body: { text?: string } }[];
  };
  return emails.filter((email) => email.destination.to.some((to) => addresses.includes(to)));
};

type Send = DynamoDBDocumentClient['send'];

type SeenCommand = { constructor: { name: string }; input: Record<string, unknown> };

/**
 * A document client that calls `hook` before every request and `after` once it has succeeded: tests use
 * them to hold a run at a point, or to make it crash there (the hook throws) — before a write, or after
 * the write took effect but before the caller learnt it.
 */
export const interceptDoc = (
  doc: DynamoDBDocumentClient,
  hook: (command: SeenCommand) => Promise<void> | void,
  after: (command: SeenCommand) => Promise<void> | void = () => undefined,
): Pick<DynamoDBDocumentClient, 'send'> => ({
  send: (async (command: Parameters<Send>[0]) => {
    await hook(command as never);
    const result = await doc.send(command as never);
    await after(command as never);
    return result;
  }) as Send,
});

/** Whether a request claims a chunk of a run's notifications. */
export const isNotificationClaim = (command: SeenCommand) =>
  command.constructor.name === 'PutCommand' &&
  String((command.input.Item as { pk?: string } | undefined)?.pk ?? '').startsWith('NOTIFY#');

/** Whether a request records how a claimed chunk of notifications went. */
export const isNotificationRecord = (command: SeenCommand) =>
  command.constructor.name === 'UpdateCommand' &&
  String((command.input.Key as { pk?: string } | undefined)?.pk ?? '').startsWith('NOTIFY#');

/** Whether a request is the per-lead claim of a distribution run. */
export const isLeadClaim = (command: { input: Record<string, unknown> }) =>
  String(command.input.UpdateExpression ?? '').startsWith('ADD assignedCount');
