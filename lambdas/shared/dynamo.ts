import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig } from './aws';
import type { Env } from './env';

/** A document client for a function's environment: plain JS values in, sets for string sets. */
export const createDocumentClient = (env: Env): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig(env, 'DYNAMODB')), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
