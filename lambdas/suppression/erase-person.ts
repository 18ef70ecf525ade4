import { ulid } from 'ulid';
import { RESULTS_OBJECT_PREFIX, UPLOADS_OBJECT_PREFIX } from '../contracts/limits';
import { parseLeadEmail } from '../ingest/domain/lead-row';
import { BadRequestError } from '../shared/errors';
import type { ErasureItem, ErasureStore } from './adapters/erasure-store';
import { type ErasureTouched, eraseFromCsv } from './domain/erasure';
import { addSuppression, type SuppressionAdminDeps } from './suppression-admin';

/** Uploads whose raw file is still being read: its bytes are pinned by the ingest, so it is left alone. */
const RAW_FILE_IN_USE = new Set(['awaiting_upload', 'ingesting']);
/** A result file's (and part's) leading cells: row, status, reason; what stays of an erased row. */
const RESULT_CELLS_KEPT = 3;

export interface ErasureDeps extends SuppressionAdminDeps {
  readonly erasures: ErasureStore;
  readonly newId?: () => string;
}

export interface ErasureView {
  erasureId: string;
  requestedBy: string;
  requestedAt: string;
  touched: ErasureTouched;
}

export const toErasureView = ({
  erasureId,
  requestedBy,
  requestedAt,
  touched,
}: ErasureItem): ErasureView => ({
  erasureId,
  requestedBy,
  requestedAt,
  touched,
});

/**
 * Erases one person by email (a privacy request). Safe to repeat: every step finds what is left to do.
 * 1. Read the address as the ingest does, and its lead hash.
 * 2. Suppress the hash first, so the person is never imported again nor handed out while the rest runs.
 * 3. The lead the hash was accepted as: the members' delivery records of it (what their CSV exports read)
 *    are deleted, then the lead loses its address and every personal field (keys, hash, status, counts stay).
 * 4. Every result file and result part, and every raw upload no ingest is reading: a record holding the
 *    address (any spelling with the same hash) keeps only its row, status and reason (raw files: nothing).
 * 5. The erasure is recorded: who, when, how much was touched; never the address or its hash.
 */
export const erasePerson = async (
  deps: ErasureDeps,
  rawEmail: string,
  requestedBy: string,
): Promise<ErasureView> => {
  const parsed = parseLeadEmail(rawEmail);
  if (!parsed.ok)
    throw new BadRequestError(`The email ${parsed.reason}`, [{ path: 'email', message: parsed.reason }]);
  const hashOf = await deps.hashEmail();
  const hash = hashOf(parsed.email);
  const erasureId = (deps.newId ?? ulid)();
  const requestedAt = deps.now().toISOString();
  await addSuppression(deps, { email: parsed.email }, requestedBy, 'erasure', erasureId);

  const touched: ErasureTouched = { leads: 0, assignments: 0, files: 0, filesSkipped: 0 };
  const lead = await deps.erasures.leadOf(hash);
  if (lead) {
    touched.assignments = await deps.erasures.deleteAssignments(lead);
    if (lead.email !== '') {
      await deps.erasures.scrubLead(lead, requestedAt);
      touched.leads = 1;
    }
  }

  const isTheAddress = (email: string) => hashOf(email) === hash;
  const rewrite = async (key: string, keepCells: number) => {
    const { text, contentType } = await deps.erasures.read(key);
    const erased = eraseFromCsv(text, isTheAddress, keepCells);
    if (!erased) return;
    await deps.erasures.write(key, erased.text, contentType);
    touched.files += 1;
  };
  for await (const key of deps.erasures.objects(RESULTS_OBJECT_PREFIX)) await rewrite(key, RESULT_CELLS_KEPT);
  for await (const key of deps.erasures.objects(UPLOADS_OBJECT_PREFIX)) {
    const uploadId = /([0-9A-Z]{26})\.csv$/.exec(key)?.[1];
    const state = uploadId === undefined ? undefined : await deps.erasures.uploadState(uploadId);
    if (state !== undefined && RAW_FILE_IN_USE.has(state)) touched.filesSkipped += 1;
    else await rewrite(key, 0);
  }

  const record = { erasureId, requestedBy, requestedAt, touched };
  await deps.erasures.record(record);
  return record;
};
