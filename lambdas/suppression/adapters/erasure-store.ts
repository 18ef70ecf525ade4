import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LEAD_FIELDS } from '../../ingest/domain/header-mapping';
import { type DocumentClient, queryAll } from '../../shared/dynamo';
import {
  ASSIGNMENT_SK_PREFIX,
  type LeadHashItem,
  type LeadItem,
  leadKey,
  memberKey,
  type UploadItem,
  uploadKey,
} from '../../shared/model';
import type { ErasureTouched } from '../domain/erasure';

/** The lead's personal fields: all but its keys, hash, status and counts. */
const PERSONAL_FIELDS = [...LEAD_FIELDS, 'phoneUnreadable', 'extras', 'typoSuggestion'] as const;

export const ERASURE_PK = 'ERASURE';

export interface ErasureItem {
  pk: typeof ERASURE_PK;
  sk: string;
  erasureId: string;
  requestedBy: string;
  requestedAt: string;
  touched: ErasureTouched;
}

export interface ErasureTables {
  uploads: string;
  leadHashes: string;
  members: string;
  control: string;
}

/** The DynamoDB and S3 side of an erasure: where the person's data is, and removing it. */
export class ErasureStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly s3: S3Client,
    private readonly tables: ErasureTables,
    private readonly bucket: string,
  ) {}

  /** The lead the address's hash was accepted as, if any (the lead-hash item names it). */
  async leadOf(hash: string): Promise<LeadItem | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tables.leadHashes, Key: { hash }, ConsistentRead: true }),
    );
    const owner = Item as LeadHashItem | undefined;
    if (!owner) return undefined;
    const lead = await this.doc.send(
      new GetCommand({
        TableName: this.tables.uploads,
        Key: leadKey(owner.uploadId, owner.row),
        ConsistentRead: true,
      }),
    );
    return lead.Item as LeadItem | undefined;
  }

  /** The lead keeps its keys, hash, status and counts; its address and every personal field go. */
  async scrubLead(lead: LeadItem, erasedAt: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tables.uploads,
        Key: leadKey(lead.uploadId, lead.row),
        UpdateExpression: `SET email = :empty, erasedAt = :at REMOVE ${PERSONAL_FIELDS.map((_, index) => `#p${index}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(
          PERSONAL_FIELDS.map((field, index) => [`#p${index}`, field]),
        ),
        ExpressionAttributeValues: { ':empty': '', ':at': erasedAt },
      }),
    );
  }

  /** Deletes the members' delivery records of the lead (their CSV exports read these); how many. */
  async deleteAssignments(lead: LeadItem): Promise<number> {
    let deleted = 0;
    for (const memberId of lead.assignedTo ?? []) {
      const items = await queryAll<{ pk: string; sk: string }>(this.doc, {
        TableName: this.tables.members,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :assign)',
        FilterExpression: 'uploadId = :uploadId AND #row = :row',
        ExpressionAttributeNames: { '#row': 'row' },
        ExpressionAttributeValues: {
          ':pk': memberKey(memberId).pk,
          ':assign': ASSIGNMENT_SK_PREFIX,
          ':uploadId': lead.uploadId,
          ':row': lead.row,
        },
        ProjectionExpression: 'pk, sk',
      });
      for (const item of items) {
        await this.doc.send(
          new DeleteCommand({ TableName: this.tables.members, Key: { pk: item.pk, sk: item.sk } }),
        );
        deleted += 1;
      }
    }
    return deleted;
  }

  /** Every object under a prefix, a page at a time. */
  async *objects(prefix: string): AsyncGenerator<string> {
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) yield object.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async read(key: string): Promise<{ text: string; contentType: string | undefined }> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return { text: (await object.Body?.transformToString('utf8')) ?? '', contentType: object.ContentType };
  }

  async write(key: string, text: string, contentType: string | undefined): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: text,
        ContentType: contentType ?? 'text/csv',
      }),
    );
  }

  async uploadState(uploadId: string): Promise<UploadItem['state'] | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tables.uploads, Key: uploadKey(uploadId), ConsistentRead: true }),
    );
    return (Item as UploadItem | undefined)?.state;
  }

  async record(item: Omit<ErasureItem, 'pk' | 'sk'>): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tables.control,
        Item: { pk: ERASURE_PK, sk: `${item.requestedAt}#${item.erasureId}`, ...item },
      }),
    );
  }

  async page(
    limit: number,
    cursor: Record<string, string> | undefined,
  ): Promise<{ items: ErasureItem[]; next: Record<string, unknown> | undefined }> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.control,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': ERASURE_PK },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: cursor,
      }),
    );
    return { items: (page.Items ?? []) as ErasureItem[], next: page.LastEvaluatedKey };
  }
}
