/** Waits; injected so tests and benchmarks need not sleep. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BackoffSettings {
  readonly baseMs: number;
  readonly capMs: number;
}

/**
 * The app's one retry delay: exponential with full jitter, capped, as AWS advises for throttled and
 * failed calls (REL05-BP03). Retry `n` (1 for the first retry) waits random() x min(cap, base x 2^(n-1)).
 */
export const backoffDelayMs = (
  retryNumber: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number =>
  Math.floor(random() * Math.min(settings.capMs, settings.baseMs * 2 ** Math.max(0, retryNumber - 1)));

/** The delay between rounds of a batch call's leftovers (DynamoDB UnprocessedItems/Keys, SQS failed entries). */
export const BATCH_BACKOFF: BackoffSettings = { baseMs: 50, capMs: 2_000 };

/** How many times a batch call's leftovers are retried before the call fails as a whole. */
export const BATCH_RETRY_ATTEMPTS = 8;

/** Waits before retry `retryNumber` of a batch call's leftovers. */
export const batchBackoff = (retryNumber: number, sleep: Sleep = realSleep): Promise<void> =>
  sleep(backoffDelayMs(retryNumber, BATCH_BACKOFF));
