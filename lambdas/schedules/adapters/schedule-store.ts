import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type DocumentClient, isConditionalCheckFailed, queryAll } from '../../shared/dynamo';
import { SCHEDULE_PK, type ScheduleItem, scheduleKey } from '../../shared/model';
import type { ScheduleRecords } from '../ports';

/** Every schedule as stored, repairing nothing: for readers (overview, health) that must not write. */
export const readAllSchedules = (doc: DocumentClient, controlTable: string): Promise<ScheduleItem[]> =>
  queryAll<ScheduleItem>(doc, {
    TableName: controlTable,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': SCHEDULE_PK },
  });

/** One schedule as stored (consistent read), or undefined when there is none. */
export const readSchedule = async (
  doc: DocumentClient,
  controlTable: string,
  scheduleId: string,
): Promise<ScheduleItem | undefined> =>
  (
    await doc.send(
      new GetCommand({ TableName: controlTable, Key: scheduleKey(scheduleId), ConsistentRead: true }),
    )
  ).Item as ScheduleItem | undefined;

/** Schedule items in the control table (pk SCHEDULE), every change conditioned on the version read. */
export class DynamoScheduleRecords implements ScheduleRecords {
  constructor(private readonly deps: { readonly doc: DocumentClient; readonly controlTable: string }) {}

  read(scheduleId: string): Promise<ScheduleItem | undefined> {
    return readSchedule(this.deps.doc, this.deps.controlTable, scheduleId);
  }

  async page(options: { limit: number; cursor?: Record<string, unknown> }) {
    const page = await this.deps.doc.send(
      new QueryCommand({
        TableName: this.deps.controlTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': SCHEDULE_PK },
        Limit: options.limit,
        ExclusiveStartKey: options.cursor,
        ConsistentRead: true,
      }),
    );
    return { items: (page.Items ?? []) as ScheduleItem[], next: page.LastEvaluatedKey };
  }

  async create(item: ScheduleItem): Promise<void> {
    await this.deps.doc.send(
      new PutCommand({
        TableName: this.deps.controlTable,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async putIfVersion(item: ScheduleItem, expectedVersion: number): Promise<boolean> {
    try {
      await this.deps.doc.send(
        new PutCommand({
          TableName: this.deps.controlTable,
          Item: item,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  recordSyncError(item: ScheduleItem, syncError: string): Promise<boolean> {
    return this.updateIfVersion(item, 'SET syncError = :error', { ':error': syncError });
  }

  markSynced(item: ScheduleItem, syncedAt: string): Promise<boolean> {
    return this.updateIfVersion(
      item,
      'SET #sync = :synced, syncedAt = :syncedAt REMOVE pendingOp, syncError',
      { ':synced': 'synced', ':syncedAt': syncedAt },
      { '#sync': 'sync' },
    );
  }

  async deleteIfVersion(item: ScheduleItem): Promise<void> {
    try {
      await this.deps.doc.send(
        new DeleteCommand({
          TableName: this.deps.controlTable,
          Key: scheduleKey(item.scheduleId),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': item.version },
        }),
      );
    } catch (error) {
      // Already gone, or taken over by a concurrent repair of the same delete: deleted either way.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  private async updateIfVersion(
    item: ScheduleItem,
    expression: string,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ): Promise<boolean> {
    try {
      await this.deps.doc.send(
        new UpdateCommand({
          TableName: this.deps.controlTable,
          Key: scheduleKey(item.scheduleId),
          UpdateExpression: expression,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { ...names, '#version': 'version' },
          ExpressionAttributeValues: { ...values, ':version': item.version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
