/**
 * When is an upload in `ingesting` stuck, and what to do about it. Every ingest invocation holds a lease
 * (its own time left plus a margin, or a hand-over's wait) and moves `updatedAt` at every committed chunk.
 * An upload whose lease has expired and whose `updatedAt` has not moved for the stale time has nobody
 * working on it: its delivery was lost (a crash the platform did not retry, a host that went away). It is
 * resumed from its checkpoint up to `maxResumeAttempts` times, then failed with the last error it recorded.
 */

export interface StaleUploadSettings {
  readonly staleAfterMs: number;
  readonly maxResumeAttempts: number;
}

export interface IngestingUpload {
  readonly uploadId: string;
  /** ISO-8601: the last committed chunk, lease change or recorded failure. */
  readonly updatedAt: string;
  readonly ingestLeaseUntil?: number;
  /** How many times the sweeper has resumed it already. */
  readonly sweepResumes?: number;
  /** The last error an attempt recorded before it stopped, if any did. */
  readonly lastError?: string;
}

export type StaleVerdict =
  | { readonly kind: 'live' }
  | { readonly kind: 'resume'; readonly attempt: number }
  | { readonly kind: 'give-up'; readonly reason: string };

export const judgeIngestingUpload = (
  upload: IngestingUpload,
  now: number,
  settings: StaleUploadSettings,
): StaleVerdict => {
  const leaseLive = (upload.ingestLeaseUntil ?? 0) >= now;
  const quietForMs = now - Date.parse(upload.updatedAt);
  if (leaseLive || !(quietForMs >= settings.staleAfterMs)) return { kind: 'live' };
  const resumes = upload.sweepResumes ?? 0;
  if (resumes < settings.maxResumeAttempts) return { kind: 'resume', attempt: resumes + 1 };
  const minutes = Math.round(settings.staleAfterMs / 60_000);
  return {
    kind: 'give-up',
    reason:
      `Ingest made no progress for ${minutes} minutes after ${resumes} resume(s) from its checkpoint; last error: ` +
      (upload.lastError ??
        'none recorded (the invocation stopped without reporting one, e.g. it was killed)'),
  };
};
