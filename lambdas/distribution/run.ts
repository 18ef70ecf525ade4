import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../shared/logger';
import {
  type AssignmentItem,
  assignmentKey,
  GLOBAL_COUNTERS_KEY,
  type LeadItem,
  type MemberItem,
  type MemberWeekItem,
  memberWeekKey,
  RUN_PK,
  type RunState,
  type RunTrigger,
  runKey,
  uploadKey,
  weekCountersKey,
} from '../shared/model';
import { weeksOfSupply } from '../shared/supply';
import { mapConcurrent } from './concurrency';
import {
  type AllocationPlan,
  type Assignment,
  type CandidateLead,
  type MemberDemand,
  planAllocationAsync,
} from './domain/allocate';
import { weekBounds, weekKey as weekKeyOf } from './domain/schedule';
import { isEligible, type Tier, weeklyNeed } from './domain/tiers';
import { isKnownTimeZone } from './domain/zoned-time';
import type { MemberStore } from './members';
import type { Notifier } from './notifier';
import type { Sleep } from './ports';
import {
  type DistributionRepository,
  decodeEntry,
  encodeEntry,
  exhaustMarker,
  LostRunError,
  type PendingWindow,
  type RunStats,
  runClaimsAttribute,
  type StoredRun,
  type TallyTarget,
  type WindowEntry,
  windowMarker,
} from './repository';

/**
 * The distribution run: tops every eligible member up to the weekly quota of their tier from the queued
 * uploads, oldest upload first, and tells each member once.
 *
 * Steps:
 * 1. Key the run: a scheduled run by schedule ARN + scheduled time (Scheduler's context attributes), a
 *    manual one by the id the admin API gave it. Create the run item with a conditional put; a redelivered
 *    invocation finds it and skips a finished run or resumes an unfinished one.
 * 2. Take the run lock (conditional put with a lease). Another run holding it: record this one as skipped.
 *    Another attempt of this same run holding it: join (wait for it to finish, or for its lease to lapse).
 * 3. Read eligible members (sparse index; a lapsed subscription is re-counted and dropped) and their week
 *    tallies (the week in the run's time zone): need = quota - received this week.
 * 4. Finish the window a crashed attempt left half-written, if any.
 * 5. Plan (fair round-robin, strictly oldest upload first, deliverable leads only, at most
 *    `maxAssignmentsPerLead` members per lead, never twice to one member).
 * 6. Write the plan in windows: checkpoint the window on the run item, then one conditional write per lead
 *    (which carries the member), then the assignment items and tallies 25 to a BatchWriteItem, then the
 *    counters (once per window marker).
 * 7. Mark exhausted uploads (and count them off the queue once).
 * 8. Email each served member once: members are claimed in numbered chunks by conditional puts before any
 *    email goes out, so a retry never emails a member twice (at most once; a crash mid-chunk costs emails,
 *    never duplicates).
 * 9. Record the run and the heartbeat, release the lock, emit metrics.
 */

export const RunRequestSchema = z.discriminatedUnion('trigger', [
  z.object({
    trigger: z.literal('schedule'),
    scheduleId: z.string().min(1).max(64),
    scheduleArn: z.string().startsWith('arn:', 'must be the schedule ARN Scheduler substitutes'),
    scheduledTime: z.iso.datetime({ offset: true }),
    executionId: z.string().optional(),
    attemptNumber: z.string().optional(),
  }),
  z.object({
    trigger: z.literal('manual'),
    runId: z.string().regex(/^[0-9A-Za-z-]{10,64}$/),
    requestedAt: z.iso.datetime({ offset: true }),
    requestedBy: z.string().min(1).max(128),
    timeZone: z.string().refine(isKnownTimeZone, 'must be an IANA time zone').optional(),
    executionId: z.string().optional(),
    attemptNumber: z.string().optional(),
  }),
]);
export type RunRequest = z.infer<typeof RunRequestSchema>;

export interface DistributionSettings {
  readonly tiers: readonly Tier[];
  readonly maxAssignmentsPerLead: number;
  /** Zone of manual runs' week. */
  readonly defaultTimeZone: string;
  readonly lockLeaseMs: number;
  /** Assignments per checkpoint window. */
  readonly windowSize: number;
  readonly leadWriteConcurrency: number;
  /** Members per notification claim. */
  readonly notifyChunkSize: number;
  readonly joinPollMs: number;
  /** Stop starting new work when less than this remains of the invocation. */
  readonly safetyMarginMs: number;
  readonly runRecordDays: number;
}

export const DEFAULT_SETTINGS: Omit<
  DistributionSettings,
  'tiers' | 'maxAssignmentsPerLead' | 'defaultTimeZone'
> = {
  lockLeaseMs: 5 * 60_000,
  windowSize: 1_000,
  leadWriteConcurrency: 32,
  notifyChunkSize: 25,
  joinPollMs: 2_000,
  safetyMarginMs: 30_000,
  runRecordDays: 90,
};

export interface RunOutcomeMetrics {
  /** Called once per invocation that ends a run (succeeded or skipped) or fails an attempt. */
  record(summary: RunSummary | { outcome: 'failed' }): void;
}

export interface DistributionDeps {
  readonly repo: DistributionRepository;
  readonly members: MemberStore;
  readonly notifier: Notifier;
  readonly metrics: RunOutcomeMetrics;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly now: () => Date;
  readonly sleep: Sleep;
  readonly newId: () => string;
}

export interface RunSummary {
  runId: string;
  /** `duplicate`: this invocation found the run already finished (or joined it until it finished). */
  outcome: 'succeeded' | 'skipped' | 'duplicate';
  state: RunState;
  trigger: RunTrigger;
  weekKey: string;
  timeZone: string;
  leadsAssigned: number;
  membersServed: number;
  membersShort: number;
  membersNotified: number;
  shortfall: number;
  uploadsTouched: string[];
  uploadsExhausted: string[];
  skippedReason?: string;
  /** leads still to hand out / weekly demand, after the run */
  supplyWeeksLeft?: number;
}

/** The run can't proceed now (another run holds the lock, or time is short); a retry picks it up. */
export class RunNotFinishedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunNotFinishedError';
  }
}

/** A scheduled run's id: the same for every delivery of the same scheduled time of the same schedule. */
export const scheduledRunId = (scheduleArn: string, scheduledTime: string) =>
  `s-${createHash('sha256')
    .update(`${scheduleArn}|${new Date(scheduledTime).toISOString()}`)
    .digest('hex')
    .slice(0, 32)}`;

interface RosterEntry {
  member: MemberItem;
  received: number;
  /** received before this run (this run's own assignments = received - base) */
  base: number;
  /** when the member last got a lead before this run (fairness: longest waiting first) */
  lastServedBefore: string | null;
}
type Roster = Map<string, RosterEntry>;

const TERMINAL: readonly RunState[] = ['succeeded', 'skipped'];

const leadIdOf = (lead: Pick<LeadItem, 'uploadId' | 'row'>) => `${lead.uploadId}#${lead.row}`;

export class Distributor {
  constructor(
    private readonly deps: DistributionDeps,
    private readonly settings: DistributionSettings,
  ) {}

  /** Runs (or joins, or skips) the distribution the request names. Throws when a retry should come back. */
  async run(request: RunRequest, remainingMs: () => number): Promise<RunSummary> {
    const { repo } = this.deps;
    const now = this.deps.now();
    const runAt = request.trigger === 'schedule' ? request.scheduledTime : request.requestedAt;
    const runId =
      request.trigger === 'schedule'
        ? scheduledRunId(request.scheduleArn, request.scheduledTime)
        : request.runId;

    let timeZone =
      request.trigger === 'manual' ? (request.timeZone ?? this.settings.defaultTimeZone) : undefined;
    let skipReason: string | undefined;
    if (request.trigger === 'schedule') {
      const schedule = await repo.getSchedule(request.scheduleId);
      if (!schedule || schedule.pendingOp === 'delete')
        skipReason = `schedule ${request.scheduleId} no longer exists`;
      else if (!schedule.enabled) skipReason = `schedule ${request.scheduleId} is disabled`;
      timeZone = schedule?.timeZone ?? this.settings.defaultTimeZone;
    }
    const zone = timeZone ?? this.settings.defaultTimeZone;
    const week = weekKeyOf(new Date(runAt), zone);

    // 1. The run item.
    const fresh: StoredRun = {
      ...runKey(new Date(runAt).toISOString(), runId),
      pk: RUN_PK,
      runId,
      runAt: new Date(runAt).toISOString(),
      trigger: request.trigger,
      ...(request.trigger === 'schedule'
        ? {
            scheduleId: request.scheduleId,
            scheduleArn: request.scheduleArn,
            scheduledTime: request.scheduledTime,
          }
        : { requestedBy: request.requestedBy }),
      timeZone: zone,
      weekKey: week,
      state: 'running',
      startedAt: now.toISOString(),
      attempts: 0,
      leadsAssigned: 0,
      expiresAt: Math.floor(now.getTime() / 1000) + this.settings.runRecordDays * 86_400,
    };
    const opened = await repo.openRun(fresh);
    let run = opened.run;
    if (TERMINAL.includes(run.state)) return this.finishedSummary(run, 'duplicate');
    // A run that never started is skipped; one that made progress finishes what it began.
    if (skipReason && run.attempts === 0) return this.skip(run, skipReason);

    // 2. The lock.
    const attemptId = this.deps.newId();
    const lock = await this.acquireOrJoin(run, attemptId, remainingMs);
    if (lock.kind === 'finished') return this.finishedSummary(lock.run, 'duplicate');
    if (lock.kind === 'skipped') return this.skip(run, lock.reason, true);

    const started = await repo.startAttempt(run, attemptId);
    if (!started) {
      await repo.releaseLock(attemptId);
      const latest = (await repo.getRun(run)) ?? run;
      return this.finishedSummary(latest, 'duplicate');
    }
    run = started;
    this.deps.logger.info('distribution run started', {
      runId,
      trigger: run.trigger,
      attempt: run.attempts,
      weekKey: week,
      resumed: run.attempts > 1,
    });
    try {
      return await this.execute(run, attemptId, remainingMs);
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      this.deps.logger.error('distribution run attempt failed', { runId, error });
      if (!(error instanceof LostRunError)) {
        await repo
          .failRun(run, attemptId, message.slice(0, 1000), this.deps.now().toISOString())
          .catch((cause) => this.deps.logger.error('could not record the failure', { runId, error: cause }));
        await this.heartbeat(run, 'failed', { error: message.slice(0, 300) }).catch(() => undefined);
        await repo.releaseLock(attemptId).catch(() => undefined);
      }
      this.deps.metrics.record({ outcome: 'failed' });
      throw error;
    }
  }

  /** The plan a run would make now, writing nothing: who would get how many leads from which uploads. */
  async dryRun(options: { timeZone?: string } = {}) {
    const now = this.deps.now();
    const timeZone = options.timeZone ?? this.settings.defaultTimeZone;
    const week = weekKeyOf(now, timeZone);
    const roster = await this.loadRoster({ runId: undefined, weekKey: week, timeZone, runAt: now }, false);
    const { plan, eligible } = await this.plan(roster, new Map(), undefined);
    const tierOf = (memberId: string) => roster.get(memberId)?.member.tier ?? '';
    return {
      dryRun: true as const,
      weekKey: week,
      timeZone,
      eligibleMembers: eligible,
      totals: plan.totals,
      members: plan.perMember
        .filter((member) => member.need > 0)
        .map((member) => ({ ...member, tier: tierOf(member.memberId) })),
      shortMembers: plan.shortMembers.map((member) => ({ ...member, tier: tierOf(member.memberId) })),
      uploads: plan.uploadsTouched,
      exhaustedUploads: plan.exhaustedUploads,
    };
  }

  // ---------- steps ----------

  private async execute(run: StoredRun, attemptId: string, remainingMs: () => number): Promise<RunSummary> {
    const { repo } = this.deps;
    const lease = this.lease(attemptId);
    const runAt = new Date(run.runAt);
    await this.deps.members.repairCounterIntents();

    // 3. Who is owed what this week.
    const roster = await this.loadRoster(
      { runId: run.runId, weekKey: run.weekKey, timeZone: run.timeZone, runAt },
      true,
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
      // 4. A window a crashed attempt left half-written is finished first, exactly as it was planned.
      if (run.pending) {
        const done = await this.writeWindow(run, roster, run.pending, new Map(), true);
        progress.windowsDone += 1;
        progress.assigned += done.assigned;
        for (const upload of done.uploads) progress.uploads.add(upload);
        await repo.checkpoint(run, attemptId, { completed: done, pending: null });
      }

      // 5. Plan, from the state the run began with: a resumed run makes the plan the first attempt made
      //    (same inputs, same plan) and writes only what is not written yet.
      const snapshots = new Map<string, LeadItem>();
      const { plan, createdAtOf, done } = await this.plan(roster, snapshots, run.runId);
      const stillOwed = new Map(
        [...roster].map(([memberId, entry]) => [
          memberId,
          weeklyNeed(entry.member, entry.received, this.deps.now(), this.settings.tiers),
        ]),
      );
      const toWrite = plan.assignments.filter((assignment) => {
        if (done.has(`${assignment.leadId}|${assignment.memberId}`)) return false;
        // Never past the quota, even if something changed between attempts and the plan came out different.
        const owed = stillOwed.get(assignment.memberId) ?? 0;
        stillOwed.set(assignment.memberId, owed - 1);
        return owed > 0;
      });

      // 6. Write the plan, window by window.
      const windows = this.windowsOf(toWrite, snapshots);
      let completed: { assigned: number; uploads: string[] } | undefined;
      for (const entries of windows) {
        await lease.renewIfDue();
        if (remainingMs() < this.settings.safetyMarginMs)
          throw new RunNotFinishedError('out of time while assigning; the retry resumes from the checkpoint');
        const window = this.pendingWindow(progress.windowsDone, entries, roster);
        await repo.checkpoint(run, attemptId, { completed, pending: window });
        completed = await this.writeWindow(run, roster, window, snapshots, false);
        progress.windowsDone += 1;
        progress.assigned += completed.assigned;
        for (const upload of completed.uploads) progress.uploads.add(upload);
      }
      stats = {
        need: plan.totals.need,
        shortfall: plan.totals.shortfall,
        membersShort: plan.shortMembers.length,
      };
      exhausting = plan.exhaustedUploads.map((uploadId) => `${createdAtOf.get(uploadId) ?? ''}#${uploadId}`);
      phase = 'exhaust';
      await repo.checkpoint(run, attemptId, { completed, pending: null, phase, exhausting, stats });
    }

    // 7. Exhausted uploads leave the queue.
    if (phase === 'exhaust') {
      for (const entry of exhausting) {
        const separator = entry.lastIndexOf('#');
        await repo.exhaustUpload(
          { createdAt: entry.slice(0, separator), uploadId: entry.slice(separator + 1) },
          run.runId,
          this.deps.now().toISOString(),
        );
      }
      phase = 'notify';
      await repo.checkpoint(run, attemptId, { phase });
      await this.releaseMarkers(run, progress.windowsDone, exhausting, [...progress.uploads]);
    }

    // 8. One email per served member.
    const { served, notified } = await this.notify(run, roster, lease, remainingMs);

    // 9. Record and tell.
    const leadsAssigned = (run.leadsAssigned ?? 0) + progress.assigned;
    const uploadsExhausted = exhausting.map((entry) => entry.slice(entry.lastIndexOf('#') + 1));
    const endedAt = this.deps.now().toISOString();
    await repo.finishRun(run, attemptId, {
      endedAt,
      membersServed: served,
      membersShort: stats.membersShort,
      membersNotified: notified,
      uploadsExhausted,
    });
    const counters = await repo.globalCounters();
    const available = Number(counters.leadsAvailable ?? 0);
    const demand = Number(counters.weeklyDemand ?? 0);
    const supplyWeeksLeft = weeksOfSupply(available, demand);
    const summary: RunSummary = {
      runId: run.runId,
      outcome: 'succeeded',
      state: 'succeeded',
      trigger: run.trigger,
      weekKey: run.weekKey,
      timeZone: run.timeZone,
      leadsAssigned,
      membersServed: served,
      membersShort: stats.membersShort,
      membersNotified: notified,
      shortfall: stats.shortfall,
      uploadsTouched: [...progress.uploads].sort(),
      uploadsExhausted,
      ...(supplyWeeksLeft === undefined ? {} : { supplyWeeksLeft }),
    };
    await this.heartbeat(run, 'succeeded', { leadsAssigned, membersServed: served, lastSuccessAt: endedAt });
    await repo.releaseLock(attemptId);
    this.deps.logger.info('distribution run finished', {
      ...summary,
      uploadsTouched: summary.uploadsTouched.length,
    });
    this.deps.metrics.record(summary);
    return summary;
  }

  /** Step 2: take the lock, or find out why not. */
  private async acquireOrJoin(
    run: StoredRun,
    attemptId: string,
    remainingMs: () => number,
  ): Promise<
    { kind: 'acquired' } | { kind: 'skipped'; reason: string } | { kind: 'finished'; run: StoredRun }
  > {
    const { repo } = this.deps;
    for (;;) {
      const nowMs = this.deps.now().getTime();
      const leaseUntil = nowMs + this.settings.lockLeaseMs;
      const acquired = await repo.acquireLock(
        { runId: run.runId, attemptId, leaseUntil, expiresAt: Math.ceil(leaseUntil / 1000) + 86_400 },
        nowMs,
      );
      if (acquired) return { kind: 'acquired' };
      const holder = await repo.readLock();
      if (!holder) continue;
      if (holder.runId !== run.runId) {
        const hasProgress = run.windowsDone !== undefined || run.phase !== undefined || run.attempts > 0;
        if (hasProgress)
          throw new RunNotFinishedError(`run ${holder.runId} holds the lock; this run resumes on a retry`);
        return { kind: 'skipped', reason: `run ${holder.runId} was in progress` };
      }
      // Another attempt of this very run is at work: wait for it to finish or for its lease to lapse.
      if (remainingMs() < this.settings.safetyMarginMs + this.settings.joinPollMs)
        throw new RunNotFinishedError('another attempt of this run is still at work');
      await this.deps.sleep(this.settings.joinPollMs);
      const latest = await repo.getRun(run);
      if (latest && TERMINAL.includes(latest.state)) return { kind: 'finished', run: latest };
    }
  }

  private async skip(run: StoredRun, reason: string, lockHeld = false): Promise<RunSummary> {
    const endedAt = this.deps.now().toISOString();
    const marked = await this.deps.repo.markSkipped(run, reason, endedAt);
    if (!marked) {
      const latest = (await this.deps.repo.getRun(run)) ?? run;
      if (TERMINAL.includes(latest.state)) return this.finishedSummary(latest, 'duplicate');
      throw new RunNotFinishedError(`run ${run.runId} could not be marked skipped`);
    }
    this.deps.logger.info('distribution run skipped', { runId: run.runId, reason, lockHeld });
    const summary = this.finishedSummary(
      { ...run, state: 'skipped', skippedReason: reason, endedAt },
      'skipped',
    );
    await this.heartbeat(run, 'skipped', { skippedReason: reason });
    this.deps.metrics.record(summary);
    return summary;
  }

  /** Step 3: eligible members with this week's tally; a member whose eligibility lapsed is re-counted. */
  private async loadRoster(
    run: { runId: string | undefined; weekKey: string; timeZone: string; runAt: Date },
    reconcile: boolean,
  ): Promise<Roster> {
    const now = this.deps.now();
    const members: MemberItem[] = [];
    for (const item of await this.deps.repo.eligibleMembers()) {
      if (this.deps.members.isCountedCurrent(item)) members.push(item);
      else if (reconcile) {
        const updated = await this.deps.members.reconcile(item);
        if (updated.counted.eligible) members.push(updated);
      } else if (isEligible(item, now, this.settings.tiers)) members.push(item);
    }
    const ids = members.map((member) => member.memberId);
    const previousWeek = weekKeyOf(
      new Date(weekBounds(run.runAt, run.timeZone).start.getTime() - 1),
      run.timeZone,
    );
    const [current, previous] = await Promise.all([
      this.deps.repo.weekTallies(ids, run.weekKey),
      this.deps.repo.weekTallies(ids, previousWeek),
    ]);
    const roster: Roster = new Map();
    for (const member of members) {
      const tally = current.get(member.memberId);
      const received = tally?.received ?? 0;
      const ours = tally !== undefined && tally.runId === run.runId;
      // A resumed run sees its members as they were when it began, so it plans what the first attempt planned.
      roster.set(member.memberId, {
        member,
        received,
        base: ours ? tally.receivedBeforeRun : received,
        lastServedBefore: ours
          ? tally.lastServedBeforeRun
          : (tally?.lastServedAt ?? previous.get(member.memberId)?.lastServedAt ?? null),
      });
    }
    return roster;
  }

  /**
   * Step 5: the plan, reading queued uploads oldest first and their leads page by page. It starts from the
   * state before this run (`base` tallies; leads without this run's claims) and reports which of its
   * assignments this run has made already (`done`).
   */
  private async plan(
    roster: Roster,
    snapshots: Map<string, LeadItem>,
    runId: string | undefined,
  ): Promise<{
    plan: AllocationPlan;
    eligible: number;
    createdAtOf: Map<string, string>;
    done: Set<string>;
  }> {
    const now = this.deps.now();
    const demands = new Map<string, MemberDemand & { alreadyHasLeadIds: Set<string> }>();
    for (const [memberId, entry] of roster) {
      demands.set(memberId, {
        memberId,
        need: weeklyNeed(entry.member, entry.base, now, this.settings.tiers),
        receivedThisWeek: entry.base,
        lastServedAt: entry.lastServedBefore,
        alreadyHasLeadIds: new Set(),
      });
    }
    const uploads = await this.deps.repo.queuedUploads();
    const done = new Set<string>();
    const claimsAttribute = runId ? runClaimsAttribute(runId) : undefined;
    const repo = this.deps.repo;
    const max = this.settings.maxAssignmentsPerLead;
    async function* candidates(uploadId: string): AsyncGenerator<CandidateLead> {
      for await (const lead of repo.assignableLeads(uploadId, max, runId)) {
        const leadId = leadIdOf(lead);
        const ours = (claimsAttribute ? lead[claimsAttribute] : undefined) as Set<string> | undefined;
        for (const holder of lead.assignedTo ?? []) {
          // Holders from earlier runs must not be offered the lead again (maxAssignmentsPerLead > 1).
          if (!ours?.has(holder)) demands.get(holder)?.alreadyHasLeadIds.add(leadId);
        }
        for (const member of ours ?? []) done.add(`${leadId}|${member}`);
        snapshots.set(leadId, lead);
        yield { leadId, status: lead.status, assignedCount: (lead.assignedCount ?? 0) - (ours?.size ?? 0) };
      }
    }
    const plan = await planAllocationAsync({
      members: [...demands.values()],
      uploads: uploads.map((upload) => ({
        uploadId: upload.uploadId,
        createdAt: upload.createdAt,
        leads: candidates(upload.uploadId),
      })),
      maxAssignmentsPerLead: max,
    });
    return {
      plan,
      eligible: roster.size,
      createdAtOf: new Map(uploads.map((upload) => [upload.uploadId, upload.createdAt])),
      done,
    };
  }

  /** Assignments grouped by member (so a member's tally is written once per window), in windows. */
  private windowsOf(
    assignments: readonly Assignment[],
    snapshots: ReadonlyMap<string, LeadItem>,
  ): WindowEntry[][] {
    const byMember = new Map<string, WindowEntry[]>();
    for (const assignment of assignments) {
      const lead = snapshots.get(assignment.leadId);
      if (!lead) throw new Error(`Planned lead ${assignment.leadId} was never read`);
      const entries = byMember.get(assignment.memberId) ?? [];
      entries.push({ memberId: assignment.memberId, uploadId: lead.uploadId, row: lead.row });
      byMember.set(assignment.memberId, entries);
    }
    const ordered = [...byMember.values()].flat();
    const windows: WindowEntry[][] = [];
    for (let start = 0; start < ordered.length; start += this.settings.windowSize)
      windows.push(ordered.slice(start, start + this.settings.windowSize));
    return windows;
  }

  /** The window as the checkpoint stores it: its entries and the tally each member will have after it. */
  private pendingWindow(index: number, entries: readonly WindowEntry[], roster: Roster): PendingWindow {
    const tallies: Record<string, TallyTarget> = {};
    for (const entry of entries) {
      const member = roster.get(entry.memberId);
      const current = tallies[entry.memberId] ?? [member?.received ?? 0, member?.base ?? 0];
      tallies[entry.memberId] = [current[0] + 1, current[1]];
    }
    return { index, entries: entries.map(encodeEntry), tallies };
  }

  /**
   * Step 6 for one window: claim each lead (one conditional write that carries the member), then write the
   * assignment items and the members' tallies in batches, then ADD the counters once for the window.
   * `redo`: the window was checkpointed by an attempt that died; a lead it already claimed for the member
   * counts as claimed.
   */
  private async writeWindow(
    run: StoredRun,
    roster: Roster,
    window: PendingWindow,
    snapshots: ReadonlyMap<string, LeadItem>,
    redo: boolean,
  ): Promise<{ assigned: number; uploads: string[] }> {
    const { repo } = this.deps;
    const entries = window.entries.map(decodeEntry);
    const claimed = await mapConcurrent(entries, this.settings.leadWriteConcurrency, (entry) =>
      repo.claimLead(entry, run.runId, this.settings.maxAssignmentsPerLead),
    );
    let leads = snapshots;
    if (redo) {
      const read = await repo.leadsByKey(entries);
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
      this.deps.logger.warn('leads taken by another writer were skipped', {
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
    // Tallies outlive their week by five more, so "longest waiting" can still read last week's.
    const weekEnd = weekBounds(new Date(run.runAt), run.timeZone).end.getTime();
    const expiresAt = Math.floor(weekEnd / 1000) + 35 * 86_400;
    const tallies: MemberWeekItem[] = Object.entries(window.tallies).map(
      ([memberId, [received, before]]) => ({
        ...memberWeekKey(memberId, run.weekKey),
        memberId,
        weekKey: run.weekKey,
        received: received - (dropped.get(memberId) ?? 0),
        runId: run.runId,
        receivedBeforeRun: before,
        lastServedAt: run.startedAt,
        lastServedBeforeRun: roster.get(memberId)?.lastServedBefore ?? null,
        expiresAt,
      }),
    );
    await repo.putAssignmentsAndTallies(assignments, tallies);

    const perUpload = new Map<string, number>();
    for (const entry of kept) perUpload.set(entry.uploadId, (perUpload.get(entry.uploadId) ?? 0) + 1);
    await repo.addWindowCounters(windowMarker(run.runId, window.index), run.weekKey, kept.length, perUpload);

    for (const tally of tallies) {
      const entry = roster.get(tally.memberId);
      if (entry) {
        entry.received = tally.received;
        entry.base = tally.receivedBeforeRun;
      }
    }
    return { assigned: kept.length, uploads: [...perUpload.keys()] };
  }

  /** Takes this run's counter markers out of flight, now that no step of it can ADD again. */
  private async releaseMarkers(
    run: StoredRun,
    windows: number,
    exhausting: readonly string[],
    uploads: readonly string[],
  ) {
    const markers = Array.from({ length: windows }, (_, index) => windowMarker(run.runId, index));
    const exhausted = exhausting.map((entry) => exhaustMarker(entry.slice(entry.lastIndexOf('#') + 1)));
    await this.deps.repo.releaseMarkers('control', GLOBAL_COUNTERS_KEY, [...markers, ...exhausted]);
    await this.deps.repo.releaseMarkers('control', weekCountersKey(run.weekKey), markers);
    for (const uploadId of uploads)
      await this.deps.repo.releaseMarkers('uploads', uploadKey(uploadId), markers);
  }

  /** Step 8: claim members in numbered chunks, then email them; a claimed member is never emailed again. */
  private async notify(
    run: StoredRun,
    roster: Roster,
    lease: { renewIfDue(): Promise<void> },
    remainingMs: () => number,
  ): Promise<{ served: number; notified: number }> {
    const { repo } = this.deps;
    const served = [...roster.values()]
      .filter((entry) => entry.received > entry.base)
      .sort((a, b) => (a.member.memberId < b.member.memberId ? -1 : 1));
    if (served.length === 0) return { served: 0, notified: 0 };
    const expiresAt = run.expiresAt;
    let chunks = await repo.notificationChunks(run.runId);
    for (;;) {
      const claimed = new Set(chunks.flatMap((chunk) => chunk.memberIds));
      const waiting = served.filter((entry) => !claimed.has(entry.member.memberId));
      if (waiting.length === 0) break;
      await lease.renewIfDue();
      if (remainingMs() < this.settings.safetyMarginMs)
        throw new RunNotFinishedError(
          'out of time while notifying; the retry continues with the members not yet claimed',
        );
      const batch = waiting.slice(0, this.settings.notifyChunkSize);
      const index = chunks.reduce((highest, chunk) => Math.max(highest, chunk.index + 1), 0);
      const ids = batch.map((entry) => entry.member.memberId);
      if (!(await repo.claimNotificationChunk(run.runId, index, ids, expiresAt))) {
        chunks = await repo.notificationChunks(run.runId);
        continue;
      }
      const results = await mapConcurrent(batch, batch.length, (entry) =>
        this.deps.notifier.notify({
          memberId: entry.member.memberId,
          email: entry.member.email,
          name: entry.member.name,
          leads: entry.received - entry.base,
        }),
      );
      const failed = ids.filter((_, position) => results[position] !== 'sent');
      await repo.recordNotificationChunk(run.runId, index, failed);
      chunks.push({ index, memberIds: ids, state: 'sent', failed });
    }
    const notified = chunks
      .filter((chunk) => chunk.state === 'sent')
      .reduce((sum, chunk) => sum + chunk.memberIds.length - (chunk.failed?.length ?? 0), 0);
    return { served: served.length, notified };
  }

  private lease(attemptId: string) {
    const { lockLeaseMs } = this.settings;
    let renewedAt = this.deps.now().getTime();
    return {
      renewIfDue: async () => {
        const now = this.deps.now().getTime();
        if (now - renewedAt < lockLeaseMs / 3) return;
        if (!(await this.deps.repo.renewLock(attemptId, now + lockLeaseMs)))
          throw new LostRunError(attemptId);
        renewedAt = now;
      },
    };
  }

  private async heartbeat(run: StoredRun, state: RunState, extra: Record<string, unknown>) {
    const at = this.deps.now().toISOString();
    await this.deps.repo.putHeartbeat({
      lastRunId: run.runId,
      lastRunState: state,
      lastRunTrigger: run.trigger,
      lastRunAt: at,
      ...extra,
    });
  }

  private finishedSummary(run: StoredRun, outcome: RunSummary['outcome']): RunSummary {
    return {
      runId: run.runId,
      outcome,
      state: run.state,
      trigger: run.trigger,
      weekKey: run.weekKey,
      timeZone: run.timeZone,
      leadsAssigned: run.leadsAssigned ?? 0,
      membersServed: run.membersServed ?? 0,
      membersShort: run.membersShort ?? 0,
      membersNotified: run.membersNotified ?? 0,
      shortfall: run.stats?.shortfall ?? 0,
      uploadsTouched: [...(run.uploadsTouched ?? [])].sort(),
      uploadsExhausted: run.uploadsExhausted ?? [],
      ...(run.skippedReason ? { skippedReason: run.skippedReason } : {}),
    };
  }
}
