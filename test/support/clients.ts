import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambdas/shared/dynamo';
import type { LocalStack } from '../../local/runtime';

/** The local name of the template's resource whose logical id starts with `prefix` (e.g. 'StorageControlTable'). */
export const localName = (stack: LocalStack, prefix: string): string => {
  const match = [...stack.resources.byLogicalId.entries()].find(([id]) => id.startsWith(prefix));
  if (!match) throw new Error(`No resource ${prefix}* in the template`);
  return match[1].ref;
};

export const documentClient = (stack: LocalStack): DynamoDBDocumentClient =>
  createDocumentClient(stack.resources.baseEnv);
