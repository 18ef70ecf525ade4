/**
 * Waits before retrying the unprocessed part of a batch call (DynamoDB UnprocessedItems/Keys, SQS failed
 * entries): exponential with full jitter, capped, as AWS advises for throttled batch requests (REL05-BP03).
 */
export const backoff = (attempt: number, baseMs = 50, capMs = 2_000): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(capMs, baseMs * 2 ** attempt)));

/** How many times a batch call's leftovers are retried before the call fails as a whole. */
export const BATCH_RETRY_ATTEMPTS = 8;
