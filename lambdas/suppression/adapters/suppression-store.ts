import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { conditional } from '../../shared/counting-claim';
import type { DocumentClient } from '../../shared/dynamo';
import {
  SUPPRESSION_PK_LITERAL,
  type SuppressionKind,
  type SuppressionSnapshot,
  type SuppressionSource,
} from '../domain/suppression';

/**
 * The suppression list in the control table: one item per entry under one partition, sort key
 * `EMAIL#<lead hash>` or `DOMAIN#<domain>`, so the whole list is one Query (read once per run and once
 * per ingest invocation, never per lead) and a page of it is the admin's list.
 */
export const SUPPRESSION_PK = SUPPRESSION_PK_LITERAL;
const SK_PREFIX: Record<SuppressionKind, string> = { email: 'EMAIL#', domain: 'DOMAIN#' };

export interface SuppressionItem {
  pk: typeof SUPPRESSION_PK;
  sk: string;
  kind: SuppressionKind;
  /** The lead hash (emails) or the domain. */
  key: string;
  source: SuppressionSource;
  addedBy: string;
  addedAt: string;
  /** The erasure that listed it, for entries an erasure made. */
  erasureId?: string;
}

export const suppressionKey = (kind: SuppressionKind, key: string) => ({
  pk: SUPPRESSION_PK,
  sk: `${SK_PREFIX[kind]}${key}`,
});

export class DynamoSuppressionStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly controlTable: string,
  ) {}

  /** Adds the entry unless it is listed already; false (nothing changed) when it was. */
  add(entry: Omit<SuppressionItem, 'pk' | 'sk'>): Promise<boolean> {
    return conditional(
      this.doc.send(
        new PutCommand({
          TableName: this.controlTable,
          Item: { ...suppressionKey(entry.kind, entry.key), ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /** Removes the entry; false when it was not listed. */
  remove(kind: SuppressionKind, key: string): Promise<boolean> {
    return conditional(
      this.doc.send(
        new DeleteCommand({
          TableName: this.controlTable,
          Key: suppressionKey(kind, key),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  async page(
    limit: number,
    cursor: Record<string, string> | undefined,
  ): Promise<{ items: SuppressionItem[]; next: Record<string, unknown> | undefined }> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.controlTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': SUPPRESSION_PK },
        Limit: limit,
        ExclusiveStartKey: cursor,
      }),
    );
    return { items: (page.Items ?? []) as SuppressionItem[], next: page.LastEvaluatedKey };
  }
}

/**
 * The list as ingest and distribution read it: once per invocation or run, keys only. Apart from the
 * admin's store so those functions' code (and so their roles) holds no write to the list.
 */
export class SuppressionListReader {
  constructor(
    private readonly doc: DocumentClient,
    private readonly controlTable: string,
  ) {}

  /** The whole list, keys only, in memory. */
  async snapshot(): Promise<SuppressionSnapshot> {
    const emailHashes = new Set<string>();
    const domains = new Set<string>();
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.controlTable,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': SUPPRESSION_PK },
          ProjectionExpression: 'kind, #key',
          ExpressionAttributeNames: { '#key': 'key' },
          ConsistentRead: true,
          ExclusiveStartKey: cursor,
        }),
      );
      for (const item of (page.Items ?? []) as Pick<SuppressionItem, 'kind' | 'key'>[]) {
        (item.kind === 'email' ? emailHashes : domains).add(item.key);
      }
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return { emailHashes, domains };
  }
}
