/**
 * Deliveries of one upload that may fail in a row before it is marked `failed` (resumable by a redrive).
 * The platform's retries match it, so the upload says `failed` exactly when its event reaches the DLQ:
 * async invocation = 1 try + 2 retries; the continuation queue redrives after 3 receives.
 * Kept free of imports: the CDK app reads it too.
 */
export const MAX_FAILED_ATTEMPTS = 3;
