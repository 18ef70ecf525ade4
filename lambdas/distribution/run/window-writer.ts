import { mapWithConcurrency } from '../../shared/concurrency';
import {
  type AssignmentItem,
  assignmentKey,
  GLOBAL_COUNTERS_KEY,
  type LeadItem,
  type LedgerEntry,
  uploadKey,
  weekCountersKey,
} from '../../shared/model';
import {
  type DistributionSettings,
  decodeEntry,
  exhaustMarker,
  leadIdOf,
  ledgerEntryOf,
  type PendingWindow,
  parseExhaustingEntry,
  type Roster,
  type StoredRun,
  type WindowEntry,
  windowMarker,
} from '../domain/run';
import type { DistributionDeps } from '../ports';

type WriterDeps = Pick<DistributionDeps, 'supply' | 'assignments' | 'logger'>;

/**
 * Writes one window: claim each lead (one conditional write that carries the member), then write the
 * members' ledger entries and the assignment items, then ADD the counters once for the window: every write
 * fenced by the run's lock generation.
 * `redo`: the window was checkpointed by an attempt that died; a lead it already claimed for the member
 * counts as claimed.
 */
export const writeWindow = async (
  deps: WriterDeps,
  settings: DistributionSettings,
  run: StoredRun,
  roster: Roster,
  window: PendingWindow,
  snapshots: ReadonlyMap<string, LeadItem>,
  redo: boolean,
  fence: number,
): Promise<{ assigned: number; uploads: string[] }> => {
  const { supply } = deps;
  const entries = window.entries.map(decodeEntry);
  const claimed = await mapWithConcurrency(entries, settings.leadWriteConcurrency, (entry) =>
    supply.claimLead(entry, run.runId, settings.maxAssignmentsPerLead, fence),
  );
  let leads = snapshots;
  if (redo) {
    const read = await supply.leadsByKey(entries);
    leads = new Map(read.map((lead) => [leadIdOf(lead), lead]));
  }
  const kept: WindowEntry[] = [];
  const dropped = new Map<string, number>();
  entries.forEach((entry, index) => {
    const lead = leads.get(leadIdOf(entry));
    const ours = claimed[index] || (redo && lead?.assignedTo?.has(entry.memberId) === true);
    if (ours && lead) kept.push(entry);
    else dropped.set(entry.memberId, (dropped.get(entry.memberId) ?? 0) + 1);
  });
  if (dropped.size > 0)
    deps.logger.warn('leads taken by another writer were skipped', {
      runId: run.runId,
      count: entries.length - kept.length,
    });

  const assignments: AssignmentItem[] = kept.map((entry) => {
    const lead = leads.get(leadIdOf(entry)) as LeadItem;
    return {
      ...assignmentKey(entry.memberId, run.startedAt, entry.uploadId, entry.row),
      memberId: entry.memberId,
      runId: run.runId,
      assignedAt: run.startedAt,
      uploadId: entry.uploadId,
      row: entry.row,
      email: lead.email,
      firstName: lead.firstName,
      lastName: lead.lastName,
      fullName: lead.fullName,
      company: lead.company,
      phone: lead.phone,
      title: lead.title,
      website: lead.website,
      city: lead.city,
      state: lead.state,
      country: lead.country,
    };
  });
  const ledger: LedgerEntry[] = [];
  for (const [memberId, [received]] of Object.entries(window.tallies)) {
    const member = roster.get(memberId);
    if (member) ledger.push(ledgerEntryOf(member, run, received - (dropped.get(memberId) ?? 0)));
  }
  await deps.assignments.putAssignmentsAndLedger(assignments, ledger, { runId: run.runId, fence });

  const perUpload = new Map<string, number>();
  for (const entry of kept) perUpload.set(entry.uploadId, (perUpload.get(entry.uploadId) ?? 0) + 1);
  await supply.addWindowCounters(windowMarker(run.runId, window.index), run.weekKey, kept.length, perUpload, {
    runId: run.runId,
    fence,
  });

  for (const written of ledger) {
    const entry = roster.get(written.memberId);
    if (entry) {
      entry.received = written.received;
      entry.inLedger = true;
    }
  }
  return { assigned: kept.length, uploads: [...perUpload.keys()] };
};

/** Takes this run's counter markers out of flight, now that no step of it can ADD again; fenced. */
export const releaseMarkers = async (
  deps: Pick<DistributionDeps, 'supply'>,
  run: StoredRun,
  fence: number,
  windows: number,
  exhausting: readonly string[],
  uploads: readonly string[],
) => {
  const markers = Array.from({ length: windows }, (_, index) => windowMarker(run.runId, index));
  const exhausted = exhausting.map((entry) => exhaustMarker(parseExhaustingEntry(entry).uploadId));
  const runFence = { runId: run.runId, fence };
  await deps.supply.releaseMarkers('control', GLOBAL_COUNTERS_KEY, [...markers, ...exhausted], runFence);
  await deps.supply.releaseMarkers('control', weekCountersKey(run.weekKey), markers, runFence);
  for (const uploadId of uploads)
    await deps.supply.releaseMarkers('uploads', uploadKey(uploadId), markers, runFence);
};
