import { replacementsDelivered } from '../../returns/domain/returns';
import type { LeadItem } from '../../shared/model';
import { owedInRun } from '../domain/entitlement';
import {
  type DistributionSettings,
  exhaustingEntry,
  isFinished,
  ledgerEntryOf,
  parseExhaustingEntry,
  type Roster,
  RunNotFinishedError,
  type RunRequest,
  type RunStats,
  type RunSummary,
  type StoredRun,
  summaryOf,
} from '../domain/run';
import type { DistributionDeps } from '../ports';
import {
  acquireOrJoin,
  failAttempt,
  finishRun,
  leaseOf,
  openRun,
  type RunContext,
  skipRun,
} from './lifecycle';
import { notifyServedMembers } from './notify';
import { loadRoster, pendingWindow, planRun, replacementsOwedAtStart, windowsOf } from './plan';
import { releaseMarkers, writeWindow } from './window-writer';

/**
 * Per member owed replacements when the run began: the smaller of that and what the run delivered them
 * (the week's ledger entry, re-read: it holds every attempt's deliveries) comes off what they are owed, once.
 */
const settleReplacements = async (deps: DistributionDeps, run: StoredRun, roster: Roster) => {
  const owing = [...roster.values()].filter((entry) => replacementsOwedAtStart(entry.member, run.runId) > 0);
  if (owing.length === 0) return;
  const week = await deps.assignments.ledgerWeeks(
    owing.map((entry) => entry.member.memberId),
    [run.weekKey],
  );
  for (const entry of owing) {
    const tally = week.get(run.weekKey)?.get(entry.member.memberId);
    const delivered = tally?.runId === run.runId ? tally.received - tally.receivedBeforeRun : 0;
    const owed = replacementsOwedAtStart(entry.member, run.runId);
    await deps.assignments.settleReplacements(
      entry.member.memberId,
      run.runId,
      owed,
      replacementsDelivered(owed, delivered),
    );
  }
};

/**
 * The distribution run: gives every eligible member what they are owed (`entitlement.ts`) from the queued
 * uploads, oldest upload first, shares a shortfall by the configured policy, and tells each member once.
 *
 * Steps:
 * 1. Open the run: its item, created once however often the invocation is delivered (`lifecycle.ts`); a
 *    finished run is reported, an unstarted run whose schedule is gone or off is skipped.
 * 2. Take the run lock: another run holding it means skip; another attempt of this run means join.
 * 3. Read eligible members and their ledger in the run's time zone: owed = entitlement - received (`plan.ts`).
 * 4. Finish the window a crashed attempt left half-written, if any.
 * 5. Plan (fair round-robin, strictly oldest upload first, deliverable leads only, at most
 *    `maxAssignmentsPerLead` members per lead, never twice to one member).
 * 6. Write the plan in windows: checkpoint the window on the run item, then one conditional write per lead,
 *    then the ledger entries (one write per bucket) and the assignment items in batches, then the counters
 *    once per window (`window-writer.ts`); then the entries of members the windows did not touch.
 * 7. Mark exhausted uploads (and count them off the queue once).
 * 8. Email each served member at most once (`notify.ts`).
 * 9. Record the run and the heartbeat, release the lock, emit metrics.
 */
export class Distributor {
  private readonly context: RunContext;

  constructor(deps: DistributionDeps, settings: DistributionSettings) {
    this.context = { deps, settings };
  }

  /** Runs (or joins, or skips) the distribution the request names. Throws when a retry should come back. */
  async run(request: RunRequest, remainingMs: () => number): Promise<RunSummary> {
    const { deps } = this.context;
    const opened = await openRun(this.context, request);
    let run = opened.run;
    if (isFinished(run)) return summaryOf(run, 'duplicate');
    // A run that never started is skipped; one that made progress finishes what it began.
    if (opened.skipReason && run.attempts === 0) return skipRun(this.context, run, opened.skipReason);

    const attemptId = deps.newId();
    const lock = await acquireOrJoin(this.context, run, attemptId, remainingMs);
    if (lock.kind === 'finished') return summaryOf(lock.run, 'duplicate');
    if (lock.kind === 'skipped') return skipRun(this.context, run, lock.reason, true);

    const started = await deps.runs.startAttempt(run, attemptId, lock.fence);
    if (!started) {
      await deps.lock.release(attemptId);
      return summaryOf((await deps.runs.getRun(run)) ?? run, 'duplicate');
    }
    run = started;
    deps.logger.info('distribution run started', {
      runId: run.runId,
      trigger: run.trigger,
      attempt: run.attempts,
      weekKey: run.weekKey,
      resumed: run.attempts > 1,
    });
    try {
      return await this.execute(run, attemptId, lock.fence, remainingMs);
    } catch (error) {
      await failAttempt(this.context, run, { attemptId, fence: lock.fence }, error);
      throw error;
    }
  }

  /** `fence`: the lock generation this attempt took; every write of the run carries it. */
  private async execute(
    run: StoredRun,
    attemptId: string,
    fence: number,
    remainingMs: () => number,
  ): Promise<RunSummary> {
    const { deps, settings } = this.context;
    const lease = leaseOf(this.context, attemptId);
    const runFence = { runId: run.runId, fence };
    await deps.members.repairCounterIntents();

    const roster = await loadRoster(
      deps,
      settings,
      { runId: run.runId, weekKey: run.weekKey, timeZone: run.timeZone, runAt: new Date(run.runAt) },
      true,
      fence,
    );
    const progress = {
      windowsDone: run.windowsDone ?? 0,
      assigned: 0,
      uploads: new Set(run.uploadsTouched ?? []),
    };
    let phase = run.phase ?? 'assign';
    let stats: RunStats = run.stats ?? { need: 0, shortfall: 0, membersShort: 0 };
    let exhausting = run.exhausting ?? [];

    if (phase === 'assign') {
      // A window a crashed attempt left half-written is finished first, exactly as it was planned.
      if (run.pending) {
        const done = await writeWindow(deps, settings, run, roster, run.pending, new Map(), true, fence);
        progress.windowsDone += 1;
        progress.assigned += done.assigned;
        for (const upload of done.uploads) progress.uploads.add(upload);
        await deps.runs.checkpoint(run, fence, { completed: done, pending: null });
      }

      // Plan from the state the run began with: a resumed run makes the plan the first attempt made (same
      // inputs, same plan) and writes only what is not written yet.
      const snapshots = new Map<string, LeadItem>();
      const { plan, createdAtOf, done, suppressed } = await planRun(
        deps,
        settings,
        roster,
        snapshots,
        run.runId,
      );
      for (const lead of suppressed)
        await deps.supply.retireSuppressedLead(lead, settings.maxAssignmentsPerLead);
      const stillOwed = new Map(
        [...roster].map(([memberId, entry]) => [
          memberId,
          // What the run planned at its start (entitlement and owed replacements), less what it delivered.
          Math.max(
            0,
            owedInRun(entry.entitlement, entry.base) +
              replacementsOwedAtStart(entry.member, run.runId) -
              (entry.received - entry.base),
          ),
        ]),
      );
      const toWrite = plan.assignments.filter((assignment) => {
        if (done.has(`${assignment.leadId}|${assignment.memberId}`)) return false;
        // Never past the quota, even if something changed between attempts and the plan came out different.
        const owed = stillOwed.get(assignment.memberId) ?? 0;
        stillOwed.set(assignment.memberId, owed - 1);
        return owed > 0;
      });

      let completed: { assigned: number; uploads: string[] } | undefined;
      for (const entries of windowsOf(toWrite, snapshots, settings.windowSize)) {
        await lease.renewIfDue();
        if (remainingMs() < settings.safetyMarginMs)
          throw new RunNotFinishedError('out of time while assigning; the retry resumes from the checkpoint');
        const window = pendingWindow(progress.windowsDone, entries, roster);
        await deps.runs.checkpoint(run, fence, { completed, pending: window });
        completed = await writeWindow(deps, settings, run, roster, window, snapshots, false, fence);
        progress.windowsDone += 1;
        progress.assigned += completed.assigned;
        for (const upload of completed.uploads) progress.uploads.add(upload);
      }
      // Members this week's runs have not written yet get their entry now, served or not: the ledger shows
      // what they were owed, and the next week's carry-over starts from it.
      const unwritten = [...roster.values()].filter((entry) => !entry.inLedger);
      if (unwritten.length > 0) {
        await deps.assignments.putAssignmentsAndLedger(
          [],
          unwritten.map((entry) => ledgerEntryOf(entry, run, entry.received)),
          runFence,
        );
        for (const entry of unwritten) entry.inLedger = true;
      }
      stats = {
        need: plan.totals.need,
        shortfall: plan.totals.shortfall,
        membersShort: plan.shortMembers.length,
      };
      exhausting = plan.exhaustedUploads.map((uploadId) =>
        exhaustingEntry(createdAtOf.get(uploadId) ?? '', uploadId),
      );
      phase = 'exhaust';
      await deps.runs.checkpoint(run, fence, { completed, pending: null, phase, exhausting, stats });
    }

    // Exhausted uploads leave the queue; what the run delivered for replacements leaves what is owed.
    if (phase === 'exhaust') {
      await settleReplacements(deps, run, roster);
      for (const entry of exhausting)
        await deps.supply.exhaustUpload(parseExhaustingEntry(entry), runFence, deps.now().toISOString());
      phase = 'notify';
      await deps.runs.checkpoint(run, fence, { phase });
      await releaseMarkers(deps, run, fence, progress.windowsDone, exhausting, [...progress.uploads]);
    }

    const { served, notified, notifiedUnknown, notMailed } = await notifyServedMembers(
      deps,
      settings,
      run,
      roster,
      lease,
      remainingMs,
    );
    return finishRun(
      this.context,
      run,
      { attemptId, fence },
      {
        assigned: progress.assigned,
        uploads: progress.uploads,
        uploadsExhausted: exhausting.map((entry) => parseExhaustingEntry(entry).uploadId),
        stats,
        served,
        notified,
        notifiedUnknown,
        notMailed,
      },
    );
  }
}
