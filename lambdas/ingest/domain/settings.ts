import { DEFAULT_LEAD_LIMITS, type LeadLimits } from './lead-row';
import { DEFAULT_VERIFICATION_BATCH_LIMITS, type VerificationBatchLimits } from './verification-batches';

export interface IngestSettings {
  /** Rows per unit of work: claimed, stored, queued, reported, then checkpointed together. */
  chunkSize: number;
  /** Lead-hash claims (conditional puts) in flight at once. */
  claimConcurrency: number;
  /**
   * Hashes remembered in memory for in-file duplicates (about 150 bytes each). Past it the oldest half is
   * forgotten: a later repeat of one is then answered by the store's batch lookup, so memory stays bounded
   * whatever the file's size, and results do not change.
   */
  rememberedHashes: number;
  /** Before starting a chunk (never the first of an invocation), stop and hand over if less time is left. */
  minRemainingMs: number;
  /** Gmail dots / `+tags` / googlemail.com count as the same address for dedupe. */
  foldGmailAliases: boolean;
  phone: {
    /** ISO 3166-1 alpha-2 region a phone written without its country code is read in. */
    defaultRegion: string;
    /** A phone an earlier accepted lead had makes the row a duplicate, as an email does. */
    dedupe: boolean;
  };
  csv: {
    /** Memory guard per record: a longer row is rejected with its number (never held) and reading goes on. */
    maxRecordChars: number;
    /** Data rows read at most; the first row past it stops the file with a clear reason. */
    maxRows: number;
    /** Header columns at most. */
    maxColumns: number;
  };
  lead: LeadLimits;
  verification: VerificationBatchLimits;
}

export const DEFAULT_INGEST_SETTINGS: IngestSettings = {
  chunkSize: 1000,
  claimConcurrency: 25,
  rememberedHashes: 200_000,
  minRemainingMs: 60_000,
  foldGmailAliases: false,
  phone: { defaultRegion: 'US', dedupe: false },
  csv: { maxRecordChars: 64 * 1024, maxRows: 1_000_000, maxColumns: 100 },
  lead: DEFAULT_LEAD_LIMITS,
  verification: DEFAULT_VERIFICATION_BATCH_LIMITS,
};
