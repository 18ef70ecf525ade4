import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../../shared/dynamo';
import { clientAssertionJtiKey } from '../../shared/model';
import { MAX_CLOCK_TOLERANCE_SECONDS, type ReplayCheck } from '../domain/client-assertion';

/**
 * The client assertions' replay store: a conditional put of `JTI#<client>` / jti in the control table.
 * A lost condition is a replay. The item lives until the assertion could no longer pass even with the
 * largest clock tolerance, then TTL removes it.
 */
export const dynamoReplayCheck =
  (doc: DynamoDBDocumentClient, tableName: string): ReplayCheck =>
  async ({ clientId, jti, expiresAt }) => {
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...clientAssertionJtiKey(clientId, jti),
            usedAt: new Date().toISOString(),
            expiresAt: Math.ceil(expiresAt.getTime() / 1000) + MAX_CLOCK_TOLERANCE_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };
