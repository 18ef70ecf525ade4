import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type DocumentClient, isConditionalCheckFailed, queryAll } from '../../shared/dynamo';
import { notificationKey } from '../../shared/model';
import type { NotificationChunk, NotificationLog } from '../ports';

/** A run's notification claims in the control table: numbered chunks, each claimed by a conditional put. */
export class DynamoNotificationLog implements NotificationLog {
  constructor(
    private readonly doc: DocumentClient,
    private readonly controlTable: string,
  ) {}

  async chunks(runId: string): Promise<NotificationChunk[]> {
    return queryAll<NotificationChunk>(this.doc, {
      TableName: this.controlTable,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': notificationKey(runId, 0).pk },
      ConsistentRead: true,
    });
  }

  /** Claims chunk `index` of a run's notifications for these members; false when it is taken. */
  async claim(runId: string, index: number, memberIds: readonly string[], expiresAt: number) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.controlTable,
          Item: { ...notificationKey(runId, index), index, memberIds, state: 'claimed', expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** Records how a claimed chunk went. The claim itself is never removed, whatever happened. */
  async record(
    runId: string,
    index: number,
    outcome: { failed: readonly string[]; unknown: readonly string[] },
  ): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.controlTable,
        Key: notificationKey(runId, index),
        UpdateExpression: 'SET #state = :sent, failed = :failed, #unknown = :unknown',
        ExpressionAttributeNames: { '#state': 'state', '#unknown': 'unknown' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':failed': outcome.failed,
          ':unknown': outcome.unknown,
        },
      }),
    );
  }
}
