import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The one DynamoDB operation the distribution code needs: `send`. Tests and the bench pass stand-ins. */
export type DocumentClient = Pick<DynamoDBDocumentClient, 'send'>;

/** Waits; injected so tests and the bench need not sleep. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
