import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** A lost conditional write: by class from the SDK, by name from stand-ins that only mimic it. */
export const isConditionalCheckFailed = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');
