import type { LeadField } from './header-mapping';

/**
 * What the ingest use case needs from the outside world. Adapters (DynamoDB, S3, SQS) implement these;
 * testing.ts has in-memory versions. Every write here must be idempotent: the use case replays a chunk
 * after a crash, and S3 / async Lambda deliver an event more than once.
 */

/** One data row of one upload: the owner of a lead hash, and the reference a duplicate points to. */
export interface RowRef {
  uploadId: string;
  row: number;
}

/** `claimed`: the hash is new, or already owned by this very row (a retry). Otherwise: who owns it. */
export type ClaimResult = 'claimed' | { duplicateOf: RowRef };

export interface LeadHashStore {
  /**
   * The owners of those of `hashes` already claimed (a batch read, eventually consistent is enough: owners
   * never change, and a hash claimed a moment ago and not seen here is caught by `claim`). Lets known
   * duplicates cost a share of one read instead of a conditional write each.
   */
  findOwners(hashes: readonly string[]): Promise<ReadonlyMap<string, RowRef>>;
  /**
   * Conditional put of hash -> owner (attribute_not_exists, or same owner). Race-free: of two uploads
   * claiming at once exactly one gets 'claimed'; the loser reads the winner (a ConditionalCheckFailed is a
   * duplicate, never an error). Claims are never released.
   */
  claim(hash: string, owner: RowRef): Promise<ClaimResult>;
}

export interface Lead {
  uploadId: string;
  row: number;
  /** Normalised email (not Gmail-folded: the folding only shapes the hash). */
  email: string;
  leadHash: string;
  /** `phone` in E.164 when it could be read; as written otherwise, with `phoneUnreadable` set. */
  fields: Partial<Record<LeadField, string>>;
  phoneUnreadable?: boolean;
  extras: Record<string, string>;
}

export interface LeadStore {
  /** Overwrites by (uploadId, row): storing the same chunk twice leaves the same items. */
  putLeads(uploadId: string, leads: readonly Lead[]): Promise<void>;
}

export interface VerificationMessage {
  /** `${uploadId}:${firstRow}`: the same leads always travel under the same id, so consumers can dedupe. */
  batchId: string;
  uploadId: string;
  leads: { row: number; email: string }[];
}

export interface VerificationQueue {
  /** One SendMessageBatch call: at most 10 messages and at most 256 KiB of bodies (the use case ensures). */
  sendBatch(messages: readonly VerificationMessage[]): Promise<void>;
}

export type RowStatus = 'accepted' | 'duplicate_in_file' | 'duplicate_of_earlier' | 'rejected';

export interface ResultRow {
  row: number;
  status: RowStatus;
  /** Empty for accepted rows; otherwise says why, naming the first row or the earlier upload. */
  reason: string;
  /** For duplicates: the row (of this upload or an earlier one) that owns the email. */
  duplicateOf?: RowRef;
  /** The row's fields as read (trimmed), for the result file. */
  values: readonly string[];
}

export interface ResultSink {
  /**
   * Stores the result rows of one chunk, keyed by its first row: rewriting a part replaces it, so a
   * replayed chunk leaves one copy. Parts are contiguous and in row order.
   */
  writePart(uploadId: string, firstRow: number, rows: readonly ResultRow[]): Promise<void>;
  /** Assembles the result file: `header` + row, status, reason, from the parts in order. Idempotent. */
  complete(uploadId: string, header: readonly string[]): Promise<void>;
}

export interface IngestCounters {
  rowsRead: number;
  accepted: number;
  duplicateInFile: number;
  duplicateOfEarlier: number;
  rejected: number;
}

/** Why the file as a whole was refused, or where reading stopped (rows before `row` were processed). */
export interface FileFailure {
  reason: string;
  row?: number;
}

export interface IngestCheckpoint {
  /** Data rows fully processed (claimed, stored, queued, reported); the next invocation starts after them. */
  rowsDone: number;
  /** The chunk size the parts were cut with; a resume keeps it so parts never overlap. */
  chunkSize: number;
  /** Cumulative, saved in the same write as rowsDone: a replayed chunk is counted once. */
  counters: IngestCounters;
  /** Set when the upload is finished: later invocations return it without reading the file. */
  finished?: { failure?: FileFailure };
}

export interface CheckpointStore {
  load(uploadId: string): Promise<IngestCheckpoint | undefined>;
  /**
   * Conditional write: succeeds only if the stored checkpoint has `rowsDone === expectedRowsDone` and is not
   * finished (or, with `expectedRowsDone` undefined, if none is stored). Otherwise another invocation is
   * ahead: throw CheckpointConflictError.
   */
  save(uploadId: string, checkpoint: IngestCheckpoint, expectedRowsDone: number | undefined): Promise<void>;
}

export class CheckpointConflictError extends Error {
  constructor(uploadId: string) {
    super(`Another invocation moved the checkpoint of upload ${uploadId}`);
    this.name = 'CheckpointConflictError';
  }
}

export interface UploadSource {
  /** The uploaded object's bytes from the start (a fresh stream per call, e.g. S3 GetObject Body). */
  open(): Promise<AsyncIterable<Uint8Array>>;
}
