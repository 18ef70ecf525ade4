import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalUpdate, type DocumentClient, isConditionalCheckFailed } from '../../shared/dynamo';
import { RUN_LOCK_KEY } from '../../shared/model';
import type { LockHolder, RunLock } from '../ports';

/** The run lock: one item with a lease, taken and given back with conditional writes. */
export class DynamoRunLock implements RunLock {
  constructor(
    private readonly doc: DocumentClient,
    private readonly controlTable: string,
  ) {}

  /** Takes the run lock when it is free, its lease has lapsed, or this attempt holds it already. */
  async acquire(lock: LockHolder, nowMs: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.controlTable,
          Item: { ...RUN_LOCK_KEY, ...lock },
          ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now OR attemptId = :attempt',
          ExpressionAttributeValues: { ':now': nowMs, ':attempt': lock.attemptId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async read(): Promise<LockHolder | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.controlTable, Key: RUN_LOCK_KEY, ConsistentRead: true }),
    );
    return Item as LockHolder | undefined;
  }

  /** Extends the lease; false when this attempt no longer holds the lock. */
  async renew(attemptId: string, leaseUntil: number): Promise<boolean> {
    return conditionalUpdate(this.doc, {
      TableName: this.controlTable,
      Key: RUN_LOCK_KEY,
      UpdateExpression: 'SET leaseUntil = :lease, expiresAt = :expires',
      ConditionExpression: 'attemptId = :attempt',
      ExpressionAttributeValues: {
        ':lease': leaseUntil,
        ':expires': Math.ceil(leaseUntil / 1000) + 86_400,
        ':attempt': attemptId,
      },
    });
  }

  async release(attemptId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.controlTable,
          Key: RUN_LOCK_KEY,
          ConditionExpression: 'attemptId = :attempt',
          ExpressionAttributeValues: { ':attempt': attemptId },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
