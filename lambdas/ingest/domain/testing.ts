import type { IngestDependencies } from './ingest-upload';
import { createLeadHasher } from './lead-hash';
import {
  CheckpointConflictError,
  type CheckpointStore,
  type ClaimResult,
  type IngestCheckpoint,
  type Lead,
  type LeadHashStore,
  type LeadStore,
  type ResultRow,
  type ResultSink,
  type RowRef,
  type UploadSource,
  type VerificationMessage,
  type VerificationQueue,
} from './ports';

/**
 * In-memory ports with the semantics the real adapters must have (conditional claim, overwrite by key,
 * conditional checkpoint), for unit tests and CPU benchmarks. Not for production: nothing is durable.
 */

export const TEST_PEPPER = 'test-pepper-0123456789abcdef';

export class InMemoryLeadHashStore implements LeadHashStore {
  readonly owners = new Map<string, RowRef>();
  claimCalls = 0;
  lookupCalls = 0;

  async findOwners(hashes: readonly string[]): Promise<ReadonlyMap<string, RowRef>> {
    this.lookupCalls += 1;
    const found = new Map<string, RowRef>();
    for (const hash of hashes) {
      const owner = this.owners.get(hash);
      if (owner !== undefined) found.set(hash, { ...owner });
    }
    return found;
  }

  async claim(hash: string, owner: RowRef): Promise<ClaimResult> {
    this.claimCalls += 1;
    const current = this.owners.get(hash);
    if (current === undefined) {
      this.owners.set(hash, { ...owner });
      return 'claimed';
    }
    if (current.uploadId === owner.uploadId && current.row === owner.row) return 'claimed';
    return { duplicateOf: { ...current } };
  }
}

/** `retain: false` (benchmarks) counts what passes through without keeping it. */
export interface RetainOption {
  retain?: boolean;
}

export class InMemoryLeadStore implements LeadStore {
  private readonly byKey = new Map<string, Lead>();
  private readonly retain: boolean;
  putCalls = 0;
  leadsPut = 0;

  constructor({ retain = true }: RetainOption = {}) {
    this.retain = retain;
  }

  async putLeads(uploadId: string, leads: readonly Lead[]): Promise<void> {
    this.putCalls += 1;
    this.leadsPut += leads.length;
    if (!this.retain) return;
    for (const lead of leads) this.byKey.set(`${uploadId}#${lead.row}`, structuredClone(lead));
  }

  /** The leads of an upload in row order (the Query the real table answers). */
  leadsOf(uploadId: string): Lead[] {
    return [...this.byKey.values()]
      .filter((lead) => lead.uploadId === uploadId)
      .sort((a, b) => a.row - b.row);
  }

  get size(): number {
    return this.byKey.size;
  }
}

export class InMemoryVerificationQueue implements VerificationQueue {
  readonly calls: VerificationMessage[][] = [];
  private readonly retain: boolean;
  callCount = 0;

  constructor({ retain = true }: RetainOption = {}) {
    this.retain = retain;
  }

  async sendBatch(messages: readonly VerificationMessage[]): Promise<void> {
    this.callCount += 1;
    if (this.retain) this.calls.push(structuredClone([...messages]));
  }

  get messages(): VerificationMessage[] {
    return this.calls.flat();
  }
}

export interface ResultFile {
  header: readonly string[];
  rows: ResultRow[];
}

export class InMemoryResultSink implements ResultSink {
  private readonly parts = new Map<string, Map<number, ResultRow[]>>();
  private readonly retain: boolean;
  readonly files = new Map<string, ResultFile>();
  rowsWritten = 0;

  constructor({ retain = true }: RetainOption = {}) {
    this.retain = retain;
  }

  async writePart(uploadId: string, firstRow: number, rows: readonly ResultRow[]): Promise<void> {
    this.rowsWritten += rows.length;
    if (!this.retain) return;
    const parts = this.parts.get(uploadId) ?? new Map<number, ResultRow[]>();
    parts.set(firstRow, structuredClone([...rows]));
    this.parts.set(uploadId, parts);
  }

  /** Concatenates the parts; a gap or overlap between parts is a bug in the caller, so it throws. */
  async complete(uploadId: string, header: readonly string[]): Promise<void> {
    if (!this.retain) return;
    const parts = [...(this.parts.get(uploadId) ?? new Map<number, ResultRow[]>()).entries()].sort(
      ([a], [b]) => a - b,
    );
    const rows: ResultRow[] = [];
    for (const [firstRow, partRows] of parts) {
      if (firstRow !== rows.length + 1) {
        throw new Error(`Result part at row ${firstRow} does not follow row ${rows.length}`);
      }
      rows.push(...partRows);
    }
    this.files.set(uploadId, { header: [...header], rows });
  }
}

export class InMemoryCheckpointStore implements CheckpointStore {
  readonly saved = new Map<string, IngestCheckpoint>();
  saveCalls = 0;

  async load(uploadId: string): Promise<IngestCheckpoint | undefined> {
    const checkpoint = this.saved.get(uploadId);
    return checkpoint === undefined ? undefined : structuredClone(checkpoint);
  }

  async save(
    uploadId: string,
    checkpoint: IngestCheckpoint,
    expectedRowsDone: number | undefined,
  ): Promise<void> {
    this.saveCalls += 1;
    const current = this.saved.get(uploadId);
    const matches =
      expectedRowsDone === undefined
        ? current === undefined
        : current !== undefined && current.rowsDone === expectedRowsDone && current.finished === undefined;
    if (!matches) throw new CheckpointConflictError(uploadId);
    this.saved.set(uploadId, structuredClone(checkpoint));
  }
}

/** A file's bytes served in chunks of `chunkBytes`, a fresh stream per open() like S3 GetObject. */
export function bytesSource(content: string | Uint8Array, chunkBytes = 64 * 1024): UploadSource {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  return {
    async open() {
      return chunksOf(bytes, chunkBytes);
    },
  };
}

export async function* chunksOf(bytes: Uint8Array, chunkBytes: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += chunkBytes)
    yield bytes.subarray(start, start + chunkBytes);
}

export interface InMemoryIngest {
  deps: IngestDependencies;
  leadHashes: InMemoryLeadHashStore;
  leads: InMemoryLeadStore;
  verification: InMemoryVerificationQueue;
  results: InMemoryResultSink;
  checkpoints: InMemoryCheckpointStore;
}

/**
 * A full set of in-memory ports around one file. Pass `shared` stores to let several uploads meet in the
 * same lead-hash table; `remainingTimeMs` defaults to "plenty"; `retain: false` keeps only counts (the
 * lead-hash table is always kept: it is the dedupe).
 */
export function inMemoryIngest(
  content: string | Uint8Array,
  options: {
    shared?: Partial<Omit<InMemoryIngest, 'deps'>>;
    remainingTimeMs?: () => number;
    chunkBytes?: number;
    pepper?: string;
  } & RetainOption = {},
): InMemoryIngest {
  const retain = { retain: options.retain ?? true };
  const leadHashes = options.shared?.leadHashes ?? new InMemoryLeadHashStore();
  const leads = options.shared?.leads ?? new InMemoryLeadStore(retain);
  const verification = options.shared?.verification ?? new InMemoryVerificationQueue(retain);
  const results = options.shared?.results ?? new InMemoryResultSink(retain);
  const checkpoints = options.shared?.checkpoints ?? new InMemoryCheckpointStore();
  return {
    deps: {
      source: bytesSource(content, options.chunkBytes),
      leadHashes,
      leads,
      verification,
      results,
      checkpoints,
      hashLead: createLeadHasher(options.pepper ?? TEST_PEPPER),
      remainingTimeMs: options.remainingTimeMs ?? (() => Number.POSITIVE_INFINITY),
    },
    leadHashes,
    leads,
    verification,
    results,
    checkpoints,
  };
}
