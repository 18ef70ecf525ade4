import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../../shared/concurrency';
import { batchPutAll, isConditionalCheckFailed } from '../../shared/dynamo';
import { type LeadItem, leadKey } from '../../shared/model';
import type { Lead, LeadStore } from '../domain/ports';

/** Batch writes (or, replaying, single puts) in flight at once. */
const WRITE_CONCURRENCY = 8;

export interface LeadStoreOptions {
  /**
   * The previous invocation stopped without a clean stop, so the first chunk this one stores may be a
   * replay whose leads were already queued, and perhaps already settled by the verifier. Those leads are
   * written with `attribute_not_exists` one by one, never overwritten: a settled lead must not go back to
   * `pending`. Every later chunk is new and goes through BatchWriteItem (25 leads a request).
   */
  replayFirstWrite: boolean;
  now?: () => number;
}

/** Lead items in the uploads table, under the upload, in row order (`leadKey`). */
export class DynamoLeadStore implements LeadStore {
  private replayNext: boolean;
  private readonly now: () => number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    options: LeadStoreOptions,
  ) {
    this.replayNext = options.replayFirstWrite;
    this.now = options.now ?? Date.now;
  }

  async putLeads(uploadId: string, leads: readonly Lead[]): Promise<void> {
    const createdAt = new Date(this.now()).toISOString();
    const items = leads.map((lead) => leadItem(uploadId, lead, createdAt));
    if (this.replayNext) {
      await mapWithConcurrency(items, WRITE_CONCURRENCY * 3, (item) => this.putIfAbsent(item));
      this.replayNext = false;
      return;
    }
    await batchPutAll(this.doc, this.table, items, { concurrency: WRITE_CONCURRENCY });
  }

  private async putIfAbsent(item: LeadItem): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}

const leadItem = (uploadId: string, lead: Lead, createdAt: string): LeadItem => ({
  ...leadKey(uploadId, lead.row),
  ...lead.fields,
  uploadId,
  row: lead.row,
  email: lead.email,
  emailHash: lead.leadHash,
  ...(lead.phoneUnreadable ? { phoneUnreadable: true } : {}),
  ...(Object.keys(lead.extras).length > 0 ? { extras: lead.extras } : {}),
  status: 'pending',
  createdAt,
});
