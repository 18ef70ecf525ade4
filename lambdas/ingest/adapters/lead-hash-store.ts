import type { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, isConditionalCheckFailed } from '../../shared/dynamo';
import type { LeadHashItem } from '../../shared/model';
import type { ClaimResult, LeadHashStore, RowRef } from '../domain/ports';

/**
 * The lead-hash table: one item per email ever accepted, keyed by HMAC(pepper, normalised email), naming
 * the upload row that owns it. Claims are conditional puts and are never released, so an owner read once
 * stays true: batch reads need no consistency, and a lost race is a duplicate, never an error.
 */
export class DynamoLeadHashStore implements LeadHashStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => number = Date.now,
  ) {}

  async findOwners(hashes: readonly string[]): Promise<ReadonlyMap<string, RowRef>> {
    const unique = [...new Set(hashes)];
    const items = await batchGetAll<LeadHashItem>(
      this.doc,
      this.table,
      unique.map((hash) => ({ hash })),
      { projection: { expression: '#hash, uploadId, #row', names: { '#hash': 'hash', '#row': 'row' } } },
    );
    const owners = new Map<string, RowRef>();
    for (const item of items) owners.set(item.hash, { uploadId: item.uploadId, row: item.row });
    return owners;
  }

  /**
   * Conditional put: new, or already ours (a replayed chunk). Otherwise the owner comes back with the
   * refusal (`ALL_OLD`; DynamoDB Local stand-ins that omit it cost one consistent read).
   */
  async claim(hash: string, owner: RowRef): Promise<ClaimResult> {
    const item: LeadHashItem = {
      hash,
      uploadId: owner.uploadId,
      row: owner.row,
      acceptedAt: new Date(this.now()).toISOString(),
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#hash) OR (uploadId = :uploadId AND #row = :row)',
          ExpressionAttributeNames: { '#hash': 'hash', '#row': 'row' },
          ExpressionAttributeValues: { ':uploadId': owner.uploadId, ':row': owner.row },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const winner = ownerOf(error.Item) ?? (await this.read(hash));
      // Claims are never deleted; a missing owner means the table was edited by hand. Claim again.
      if (!winner) return this.claim(hash, owner);
      return { duplicateOf: winner };
    }
  }

  private async read(hash: string): Promise<RowRef | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { hash }, ConsistentRead: true }),
    );
    const owner = Item as LeadHashItem | undefined;
    return owner && { uploadId: owner.uploadId, row: owner.row };
  }
}

/** The owner in a refusal's `Item` (raw attribute values: the document client leaves errors as they are). */
const ownerOf = (item: ConditionalCheckFailedException['Item']): RowRef | undefined => {
  const uploadId = item?.uploadId?.S;
  const row = item?.row?.N;
  return uploadId === undefined || row === undefined ? undefined : { uploadId, row: Number(row) };
};
