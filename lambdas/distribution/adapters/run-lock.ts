import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalUpdate, type DocumentClient, isConditionalCheckFailed } from '../../shared/dynamo';
import { RUN_LOCK_KEY } from '../../shared/model';
import type { LockHolder, RunLock } from '../ports';

/**
 * The run lock: one item with a lease, taken and given back with conditional writes. Each take ADDs one to
 * its `generation`, the fencing token every later write of the run carries: a run whose lease lapsed and was
 * taken over holds a lower generation, and the items the new holder fenced refuse it. The item is never
 * deleted (no TTL either), so generations only grow.
 */
export class DynamoRunLock implements RunLock {
  constructor(
    private readonly doc: DocumentClient,
    private readonly controlTable: string,
  ) {}

  /** Takes the lock when it is free, its lease has lapsed, or this attempt holds it; the new generation. */
  async acquire(lock: Omit<LockHolder, 'generation'>, nowMs: number): Promise<number | undefined> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.controlTable,
          Key: RUN_LOCK_KEY,
          // REMOVE expiresAt: a lock item written before generations existed carried a TTL; it must never go.
          UpdateExpression:
            'SET runId = :run, attemptId = :attempt, leaseUntil = :lease ADD generation :one REMOVE expiresAt',
          ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now OR attemptId = :attempt',
          ExpressionAttributeValues: {
            ':run': lock.runId,
            ':attempt': lock.attemptId,
            ':lease': lock.leaseUntil,
            ':now': nowMs,
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Number(Attributes?.generation);
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async read(): Promise<LockHolder | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.controlTable, Key: RUN_LOCK_KEY, ConsistentRead: true }),
    );
    return Item?.attemptId ? (Item as LockHolder) : undefined;
  }

  /** Extends the lease; false when this attempt no longer holds the lock. */
  async renew(attemptId: string, leaseUntil: number): Promise<boolean> {
    return conditionalUpdate(this.doc, {
      TableName: this.controlTable,
      Key: RUN_LOCK_KEY,
      UpdateExpression: 'SET leaseUntil = :lease',
      ConditionExpression: 'attemptId = :attempt',
      ExpressionAttributeValues: { ':lease': leaseUntil, ':attempt': attemptId },
    });
  }

  /** Frees the lock (the item and its generation stay); nothing when another attempt holds it. */
  async release(attemptId: string): Promise<void> {
    await conditionalUpdate(this.doc, {
      TableName: this.controlTable,
      Key: RUN_LOCK_KEY,
      UpdateExpression: 'SET leaseUntil = :free REMOVE attemptId, runId',
      ConditionExpression: 'attemptId = :attempt',
      ExpressionAttributeValues: { ':free': 0, ':attempt': attemptId },
    });
  }
}
