/**
 * Limits and names that both the CDK app and the functions rely on. Import-free, so `cdk synth` loads no
 * runtime code, and a function and the infrastructure it runs on cannot disagree.
 */

/**
 * Deliveries of one upload that may fail in a row before it is marked `failed` (resumable by a redrive).
 * The platform's retries match it, so the upload says `failed` exactly when its event reaches the DLQ:
 * async invocation = 1 try + 2 retries; the continuation queue redrives after 3 receives.
 */
export const MAX_FAILED_ATTEMPTS = 3;

/** Scheduler's retry of a failed target invocation: bounded attempts and event age. */
export const SCHEDULE_RETRY_ATTEMPTS = 20;
export const SCHEDULE_MAX_EVENT_AGE_SECONDS = 6 * 3600;

/** The longest timer SQS puts on one message: the delayed verification re-check cannot wait longer. */
export const MAX_MESSAGE_DELAY_SECONDS = 900;

/** `DLQ_URL_<NAME>`: one environment variable per dead-letter queue the scheduler's health watches. */
export const DLQ_ENV_PREFIX = 'DLQ_URL_';

/** Where the bucket keeps raw uploads and the per-row result files (and their parts). */
export const UPLOADS_OBJECT_PREFIX = 'uploads/';
export const RESULTS_OBJECT_PREFIX = 'results/';

/**
 * How a distribution run shares a supply too small for what members are owed: `proportional` gives
 * everyone the same fraction of what they are owed; `equal` the same count per head.
 */
export const SHORTFALL_POLICIES = ['proportional', 'equal'] as const;
export type ShortfallPolicy = (typeof SHORTFALL_POLICIES)[number];
