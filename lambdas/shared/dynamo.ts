import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig } from './aws';
import type { Env } from './env';

/** A document client for a function's environment: plain JS values in, sets for string sets. */
export const createDocumentClient = (env: Env): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig(env, 'DYNAMODB')), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });

/** Every item of a Query, page after page: for partitions known to stay small (schedules, a week's runs). */
export const queryAll = async <T>(
  doc: Pick<DynamoDBDocumentClient, 'send'>,
  input: ConstructorParameters<typeof QueryCommand>[0],
): Promise<T[]> => {
  const items: T[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: cursor }));
    items.push(...((page.Items ?? []) as T[]));
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return items;
};
