import { mapWithConcurrency } from '../../shared/concurrency';
import {
  isSuppressed,
  SUPPRESSED_REASON,
  type SuppressionSnapshot,
} from '../../suppression/domain/suppression';
import { type CsvFile, CsvFileError, type CsvRow, openCsv } from './csv-reader';
import { mapHeader } from './header-mapping';
import type { LeadHasher } from './lead-hash';
import { createRowValidator, dedupeKey, type RowValidator } from './lead-row';
import { createPhoneNormaliser, type PhoneNormaliser, phoneDedupeKey } from './phone';
import type {
  CheckpointStore,
  ClaimResult,
  FileFailure,
  IngestCheckpoint,
  IngestCounters,
  Lead,
  LeadHashStore,
  LeadStore,
  ResultRow,
  ResultSink,
  RowRef,
  UploadSource,
  VerificationQueue,
} from './ports';
import { DEFAULT_INGEST_SETTINGS, type IngestSettings } from './settings';
import { planVerificationCalls } from './verification-batches';

export interface IngestDependencies {
  source: UploadSource;
  leadHashes: LeadHashStore;
  leads: LeadStore;
  verification: VerificationQueue;
  results: ResultSink;
  checkpoints: CheckpointStore;
  hashLead: LeadHasher;
  /** The suppression list, read once per invocation: a listed address or domain is rejected as `suppressed`. */
  suppression: { snapshot(): Promise<SuppressionSnapshot> };
  /** Milliseconds this invocation has left (Lambda: context.getRemainingTimeInMillis). */
  remainingTimeMs: () => number;
  /**
   * Told the rows of each chunk this call committed, by result, right after its checkpoint saved: a chunk
   * redone after a crash is told once, by the call whose conditional save won (the metrics).
   */
  chunkCommitted?: (chunk: IngestCounters) => void;
}

/** Not done: invoke again (same upload) to continue from `checkpoint`. Done: final counters, and why the
 * file was refused or where reading stopped, if it was. */
export type IngestOutcome =
  | { done: false; checkpoint: IngestCheckpoint }
  | { done: true; counters: IngestCounters; failure?: FileFailure };

/** The CPU part of one row: rejected with a reason, or valid with its normalised email and lead hash. */
export type RowAssessment =
  | { valid: false; reason: string }
  | { valid: true; email: string; hash: string; output: readonly string[] };

/**
 * Ingests one uploaded lead file, or its next part.
 * 1. Load the checkpoint; a finished upload returns its saved outcome and touches nothing.
 * 2. Open the file after the rows already done; a file-level refusal finishes the upload with its reason.
 * 3. Per chunk: validate and hash each row; reject those on the suppression list (read once per
 *    invocation); answer in-file duplicates from memory; look the other hashes
 *    up in one batch read and claim those not found (conditional put); read the phones of the rows let in
 *    (E.164) and, when phones dedupe too, resolve their phone hashes the same way; store the accepted leads;
 *    queue them for verification; write the chunk's result rows; save the checkpoint with the cumulative
 *    counters. Every step is idempotent, so a crash replays
 *    the chunk and the checkpoint counts it once.
 * 4. Before each chunk but the first of an invocation: if time is short, return the checkpoint.
 * 5. At the end of the file (or where reading had to stop): assemble the result file, save "finished".
 */
export async function ingestUpload(
  uploadId: string,
  deps: IngestDependencies,
  settings: IngestSettings = DEFAULT_INGEST_SETTINGS,
): Promise<IngestOutcome> {
  const saved = await deps.checkpoints.load(uploadId);
  if (saved?.finished) return finishedOutcome(saved);

  let checkpoint: IngestCheckpoint = saved ?? {
    rowsDone: 0,
    chunkSize: settings.chunkSize,
    counters: zeroCounters(),
  };
  let expectedRowsDone = saved?.rowsDone;

  const finish = async (
    failure: FileFailure | undefined,
    header?: readonly string[],
  ): Promise<IngestOutcome> => {
    if (header !== undefined) await deps.results.complete(uploadId, header);
    const finished: IngestCheckpoint = { ...checkpoint, finished: failure === undefined ? {} : { failure } };
    await deps.checkpoints.save(uploadId, finished, expectedRowsDone);
    return finishedOutcome(finished);
  };

  let file: CsvFile;
  try {
    file = await openCsv(await deps.source.open(), { ...settings.csv, skipRows: checkpoint.rowsDone });
  } catch (error) {
    if (error instanceof CsvFileError) return finish(failureOf(error));
    throw error;
  }
  const mapped = mapHeader(file.header);
  if (!mapped.ok) {
    await file.close();
    return finish({ reason: mapped.reason });
  }

  const processor = new ChunkProcessor(
    uploadId,
    deps,
    settings,
    createRowValidator(mapped.mapping, settings.lead),
    await deps.suppression.snapshot(),
  );
  const runChunk = async (rows: readonly CsvRow[]): Promise<void> => {
    const next = await processor.process(rows, checkpoint);
    await deps.checkpoints.save(uploadId, next, expectedRowsDone);
    deps.chunkCommitted?.(countsBetween(checkpoint.counters, next.counters));
    checkpoint = next;
    expectedRowsDone = next.rowsDone;
  };
  const timeIsShort = (chunksRun: number) =>
    chunksRun > 0 && deps.remainingTimeMs() < settings.minRemainingMs;

  let chunk: CsvRow[] = [];
  let chunksRun = 0;
  let stop: FileFailure | undefined;
  try {
    for await (const batch of file.batches) {
      for (const row of batch) {
        chunk.push(row);
        if (chunk.length < checkpoint.chunkSize) continue;
        if (timeIsShort(chunksRun)) return { done: false, checkpoint };
        await runChunk(chunk);
        chunksRun += 1;
        chunk = [];
      }
    }
  } catch (error) {
    if (!(error instanceof CsvFileError)) throw error;
    stop = failureOf(error);
  }
  if (chunk.length > 0) {
    if (timeIsShort(chunksRun)) return { done: false, checkpoint };
    await runChunk(chunk);
  }
  return finish(stop, file.header);
}

/** Rejected, or valid with its lead hash: everything a row costs before any I/O. */
export function assessRow(
  row: CsvRow,
  validator: RowValidator,
  hashLead: LeadHasher,
  settings: Pick<IngestSettings, 'foldGmailAliases'>,
): RowAssessment {
  if (row.problem !== undefined) return { valid: false, reason: row.problem };
  const verdict = validator.validate(row.values);
  if (!verdict.ok) return { valid: false, reason: verdict.reason };
  const hash = hashLead(dedupeKey(verdict.email, settings));
  return { valid: true, email: verdict.email, hash, output: verdict.output };
}

/**
 * Owner of a hash as remembered in memory: a row number of this upload (no allocation per entry), or the
 * row of another upload.
 */
type KnownOwner = number | RowRef;

class ChunkProcessor {
  /** Hashes met in this invocation, with their owners: in-file duplicates cost no store request. */
  private readonly owners: RememberedOwners;
  private readonly normalisePhone: PhoneNormaliser;

  constructor(
    private readonly uploadId: string,
    private readonly deps: IngestDependencies,
    private readonly settings: IngestSettings,
    private readonly validator: RowValidator,
    private readonly suppression: SuppressionSnapshot,
  ) {
    this.owners = new RememberedOwners(settings.rememberedHashes);
    this.normalisePhone = createPhoneNormaliser(settings.phone.defaultRegion);
  }

  async process(rows: readonly CsvRow[], before: IngestCheckpoint): Promise<IngestCheckpoint> {
    const results: ResultRow[] = new Array(rows.length);
    const valid: { index: number; hash: string; output: readonly string[] }[] = [];
    rows.forEach((row, index) => {
      const assessment = assessRow(row, this.validator, this.deps.hashLead, this.settings);
      const reason = !assessment.valid
        ? assessment.reason
        : isSuppressed(this.suppression, assessment.email, assessment.hash)
          ? SUPPRESSED_REASON
          : undefined;
      if (reason === undefined && assessment.valid) {
        valid.push({ index, hash: assessment.hash, output: assessment.output });
      } else
        results[index] = { row: row.rowNumber, status: 'rejected', reason: reason ?? '', values: row.values };
    });

    const emailOwners = await this.resolveOwners(
      valid.map(({ index, hash }) => ({ hash, row: (rows[index] as CsvRow).rowNumber })),
    );
    const candidates: { index: number; lead: Lead; phoneHash?: string }[] = [];
    valid.forEach(({ index, hash, output }, position) => {
      const row = rows[index] as CsvRow;
      const result = this.classify(row, emailOwners[position] as KnownOwner, 'email');
      results[index] = result;
      if (result.status !== 'accepted') return;
      const lead: Lead = {
        uploadId: this.uploadId,
        row: row.rowNumber,
        leadHash: hash,
        ...this.validator.toLead(output),
      };
      const written = lead.fields.phone;
      const e164 = written === undefined ? undefined : this.normalisePhone(written);
      if (e164 !== undefined) lead.fields.phone = e164;
      else if (written !== undefined) {
        lead.phoneUnreadable = true;
        result.reason = unreadablePhoneNote(this.settings.phone.defaultRegion);
      }
      candidates.push(
        e164 !== undefined && this.settings.phone.dedupe
          ? { index, lead, phoneHash: this.deps.hashLead(phoneDedupeKey(e164)) }
          : { index, lead },
      );
    });

    // A phone is claimed only by a row its email let in; a row whose phone an earlier lead had is a duplicate.
    const withPhone = candidates.filter((candidate) => candidate.phoneHash !== undefined);
    const phoneOwners = await this.resolveOwners(
      withPhone.map(({ lead, phoneHash }) => ({ hash: phoneHash as string, row: lead.row })),
    );
    withPhone.forEach(({ index }, position) => {
      const result = this.classify(rows[index] as CsvRow, phoneOwners[position] as KnownOwner, 'phone');
      if (result.status !== 'accepted') results[index] = result;
    });
    const accepted = candidates
      .filter(({ index }) => (results[index] as ResultRow).status === 'accepted')
      .map(({ lead }) => lead);

    if (accepted.length > 0) {
      await this.deps.leads.putLeads(this.uploadId, accepted);
      const calls = planVerificationCalls(this.uploadId, accepted, this.settings.verification);
      for (const call of calls) await this.deps.verification.sendBatch(call);
    }
    await this.deps.results.writePart(this.uploadId, (rows[0] as CsvRow).rowNumber, results);

    return {
      rowsDone: (rows[rows.length - 1] as CsvRow).rowNumber,
      chunkSize: before.chunkSize,
      counters: addCounts(before.counters, results),
    };
  }

  /**
   * The owner of each dedupe key, in order: from memory, from the first row of this chunk with the same key,
   * or from the store (claimed for its row when new). The chunk's own answers are kept for its repeats, as
   * the bounded memory may have moved on by then.
   */
  private async resolveOwners(keys: readonly { hash: string; row: number }[]): Promise<KnownOwner[]> {
    const owners: KnownOwner[] = new Array(keys.length);
    const claims: { position: number; hash: string; row: number }[] = [];
    const firstInChunk = new Set<string>();
    const waitingFor: { position: number; hash: string }[] = [];
    keys.forEach(({ hash, row }, position) => {
      const known = this.owners.get(hash);
      if (known !== undefined) owners[position] = known;
      else if (firstInChunk.has(hash)) waitingFor.push({ position, hash });
      else {
        firstInChunk.add(hash);
        claims.push({ position, hash, row });
      }
    });
    const answers = await this.claimAll(claims);
    const chunkOwners = new Map<string, KnownOwner>();
    claims.forEach(({ position, hash, row }, index) => {
      const owner = this.remember(hash, row, answers[index] as ClaimResult);
      chunkOwners.set(hash, owner);
      owners[position] = owner;
    });
    for (const { position, hash } of waitingFor) owners[position] = chunkOwners.get(hash) as KnownOwner;
    return owners;
  }

  /** Known owners come from one batch read; only hashes not found there cost a conditional put. */
  private async claimAll(claims: readonly { hash: string; row: number }[]): Promise<ClaimResult[]> {
    if (claims.length === 0) return [];
    const found = await this.deps.leadHashes.findOwners(claims.map(({ hash }) => hash));
    const unknown = claims.filter(({ hash }) => !found.has(hash));
    const claimed = await mapWithConcurrency(unknown, this.settings.claimConcurrency, ({ hash, row }) =>
      this.deps.leadHashes.claim(hash, { uploadId: this.uploadId, row }),
    );
    const answerOf = new Map(unknown.map(({ hash }, position) => [hash, claimed[position] as ClaimResult]));
    return claims.map(({ hash, row }) => {
      const owner = found.get(hash);
      if (owner === undefined) return answerOf.get(hash) as ClaimResult;
      // Our own row: a replayed chunk finds the claim it made before the crash.
      return owner.uploadId === this.uploadId && owner.row === row ? 'claimed' : { duplicateOf: owner };
    });
  }

  private remember(hash: string, rowNumber: number, answer: ClaimResult): KnownOwner {
    const owner: KnownOwner =
      answer === 'claimed'
        ? rowNumber
        : answer.duplicateOf.uploadId === this.uploadId
          ? answer.duplicateOf.row
          : answer.duplicateOf;
    this.owners.set(hash, owner);
    return owner;
  }

  private classify(row: CsvRow, owner: KnownOwner, key: 'email' | 'phone'): ResultRow {
    const base = { row: row.rowNumber, values: row.values };
    if (owner === row.rowNumber) return { ...base, status: 'accepted', reason: '' };
    if (typeof owner === 'number') {
      return {
        ...base,
        status: 'duplicate_in_file',
        reason: `same ${key} as row ${owner}`,
        duplicateOf: { uploadId: this.uploadId, row: owner },
      };
    }
    return {
      ...base,
      status: 'duplicate_of_earlier',
      reason:
        key === 'email'
          ? `already received in upload ${owner.uploadId} (row ${owner.row})`
          : `phone already received in upload ${owner.uploadId} (row ${owner.row})`,
      duplicateOf: owner,
    };
  }
}

/**
 * A bounded memory of hash owners in two generations: when the current one holds half the limit it becomes
 * the previous one and the one before is dropped, so at most `limit` entries live, each step is O(1), and
 * the most recently met hashes are always kept.
 */
class RememberedOwners {
  private current = new Map<string, KnownOwner>();
  private previous = new Map<string, KnownOwner>();
  private readonly generationSize: number;

  constructor(limit: number) {
    this.generationSize = Math.max(1, Math.floor(limit / 2));
  }

  get(hash: string): KnownOwner | undefined {
    return this.current.get(hash) ?? this.previous.get(hash);
  }

  set(hash: string, owner: KnownOwner): void {
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(hash, owner);
  }
}

/** The result file's note on an accepted row whose phone could not be read: the lead is kept, its phone flagged. */
export const unreadablePhoneNote = (defaultRegion: string): string =>
  `phone not recognised as a number (read in region ${defaultRegion} when written without a country code); ` +
  'the lead is kept with its phone flagged';

function addCounts(before: IngestCounters, results: readonly ResultRow[]): IngestCounters {
  const counters = { ...before, rowsRead: before.rowsRead + results.length };
  for (const { status } of results) {
    if (status === 'accepted') counters.accepted += 1;
    else if (status === 'duplicate_in_file') counters.duplicateInFile += 1;
    else if (status === 'duplicate_of_earlier') counters.duplicateOfEarlier += 1;
    else counters.rejected += 1;
  }
  return counters;
}

/** What a chunk added: the difference of two cumulative counters. */
function countsBetween(before: IngestCounters, after: IngestCounters): IngestCounters {
  return {
    rowsRead: after.rowsRead - before.rowsRead,
    accepted: after.accepted - before.accepted,
    duplicateInFile: after.duplicateInFile - before.duplicateInFile,
    duplicateOfEarlier: after.duplicateOfEarlier - before.duplicateOfEarlier,
    rejected: after.rejected - before.rejected,
  };
}

export function zeroCounters(): IngestCounters {
  return { rowsRead: 0, accepted: 0, duplicateInFile: 0, duplicateOfEarlier: 0, rejected: 0 };
}

function finishedOutcome(checkpoint: IngestCheckpoint): IngestOutcome {
  const failure = checkpoint.finished?.failure;
  return failure === undefined
    ? { done: true, counters: checkpoint.counters }
    : { done: true, counters: checkpoint.counters, failure };
}

function failureOf(error: CsvFileError): FileFailure {
  return error.rowNumber === undefined
    ? { reason: error.reason }
    : { reason: error.reason, row: error.rowNumber };
}
