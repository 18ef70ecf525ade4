import { isEligible, weeklyNeed } from '../../members/domain/tiers';
import { weekBounds, weekKey as weekKeyOf } from '../../schedules/domain/schedule';
import type { LeadItem, MemberItem } from '../../shared/model';
import { isSuppressed } from '../../suppression/domain/suppression';
import {
  type AllocationPlan,
  type Assignment,
  type CandidateLead,
  type MemberDemand,
  planAllocationAsync,
} from '../domain/allocate';
import {
  type DistributionSettings,
  encodeEntry,
  leadIdOf,
  type PendingWindow,
  type Roster,
  runClaimsAttribute,
  type TallyTarget,
  type WindowEntry,
} from '../domain/run';
import type { PlanningDeps } from '../ports';

/**
 * The planning half of a run: who is owed what this week (the roster), the plan over the queued uploads,
 * and the windows the plan is written in. It writes nothing but the repair of a lapsed member's count, so a
 * dry run is the same code with `reconcile` off.
 */

export interface RosterScope {
  runId: string | undefined;
  weekKey: string;
  timeZone: string;
  runAt: Date;
}

/** Tallies outlive their week by five more, so "longest waiting" can still read last week's. */
export const tallyExpiresAt = (runAt: Date, timeZone: string) =>
  Math.floor(weekBounds(runAt, timeZone).end.getTime() / 1000) + 35 * 86_400;

/**
 * Eligible members with this week's tally; a member whose eligibility lapsed is re-counted (`reconcile`).
 * A run passes its lock generation (`fence`): this week's tallies are then read by fencing them, so a run
 * that lost the lock can no longer change what this one has counted. A dry run reads them plainly.
 */
export const loadRoster = async (
  deps: PlanningDeps,
  settings: DistributionSettings,
  run: RosterScope,
  reconcile: boolean,
  fence?: number,
): Promise<Roster> => {
  const now = deps.now();
  const members: MemberItem[] = [];
  for (const item of await deps.assignments.eligibleMembers()) {
    if (deps.members.isCountedCurrent(item)) members.push(item);
    else if (reconcile) {
      const updated = await deps.members.reconcile(item);
      if (updated.counted.eligible) members.push(updated);
    } else if (isEligible(item, now, settings.tiers)) members.push(item);
  }
  const ids = members.map((member) => member.memberId);
  const previousWeek = weekKeyOf(
    new Date(weekBounds(run.runAt, run.timeZone).start.getTime() - 1),
    run.timeZone,
  );
  const [current, previous] = await Promise.all([
    fence === undefined || run.runId === undefined
      ? deps.assignments.weekTallies(ids, run.weekKey)
      : deps.assignments.fenceWeekTallies(ids, run.weekKey, {
          fence,
          runId: run.runId,
          expiresAt: tallyExpiresAt(run.runAt, run.timeZone),
        }),
    deps.assignments.weekTallies(ids, previousWeek),
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
};

/**
 * The replacements a member is owed for approved returns as the run began: served on top of the quota, then
 * taken off what they are owed (`Distributor`). A resumed run sees them as its first attempt did.
 */
export const replacementsOwedAtStart = (member: MemberItem, runId: string | undefined): number =>
  member.replacementsSettled !== undefined && member.replacementsSettled.runId === runId
    ? member.replacementsSettled.owedBefore
    : Math.max(0, member.replacementsOwed ?? 0);

export interface RunPlan {
  plan: AllocationPlan;
  eligible: number;
  createdAtOf: Map<string, string>;
  /** `leadId|memberId` of the plan's assignments this run has made already */
  done: Set<string>;
  /** Leads the plan passed over because their person is suppressed and no member has them yet. */
  suppressed: LeadItem[];
}

/**
 * The plan, reading queued uploads oldest first and their leads page by page. It starts from the state
 * before this run (`base` tallies; leads without this run's claims) and reports which of its assignments
 * this run has made already (`done`). Every lead it read lands in `snapshots`.
 */
export const planRun = async (
  deps: PlanningDeps,
  settings: DistributionSettings,
  roster: Roster,
  snapshots: Map<string, LeadItem>,
  runId: string | undefined,
): Promise<RunPlan> => {
  const now = deps.now();
  const demands = new Map<string, MemberDemand & { alreadyHasLeadIds: Set<string> }>();
  for (const [memberId, entry] of roster) {
    demands.set(memberId, {
      memberId,
      need:
        weeklyNeed(entry.member, entry.base, now, settings.tiers) +
        replacementsOwedAtStart(entry.member, runId),
      receivedThisWeek: entry.base,
      lastServedAt: entry.lastServedBefore,
      alreadyHasLeadIds: new Set(),
    });
  }
  const uploads = await deps.supply.queuedUploads();
  const suppression = await deps.suppression.snapshot();
  const suppressed: LeadItem[] = [];
  const done = new Set<string>();
  const claimsAttribute = runId ? runClaimsAttribute(runId) : undefined;
  const { supply } = deps;
  const max = settings.maxAssignmentsPerLead;
  async function* candidates(uploadId: string): AsyncGenerator<CandidateLead> {
    for await (const lead of supply.assignableLeads(uploadId, max, runId)) {
      // A suppressed person is never handed out, even from a lead queued before they were listed.
      if (isSuppressed(suppression, lead.email, lead.emailHash)) {
        if (lead.assignedCount === undefined) suppressed.push(lead);
        continue;
      }
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
    suppressed,
  };
};

/** Assignments grouped by member (so a member's tally is written once per window), in windows. */
export const windowsOf = (
  assignments: readonly Assignment[],
  snapshots: ReadonlyMap<string, LeadItem>,
  windowSize: number,
): WindowEntry[][] => {
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
  for (let start = 0; start < ordered.length; start += windowSize)
    windows.push(ordered.slice(start, start + windowSize));
  return windows;
};

/** The window as the checkpoint stores it: its entries and the tally each member will have after it. */
export const pendingWindow = (
  index: number,
  entries: readonly WindowEntry[],
  roster: Roster,
): PendingWindow => {
  const tallies: Record<string, TallyTarget> = {};
  for (const entry of entries) {
    const member = roster.get(entry.memberId);
    const current = tallies[entry.memberId] ?? [member?.received ?? 0, member?.base ?? 0];
    tallies[entry.memberId] = [current[0] + 1, current[1]];
  }
  return { index, entries: entries.map(encodeEntry), tallies };
};

/** The plan a run would make now, writing nothing: who would get how many leads from which uploads. */
export const previewDistribution = async (
  deps: PlanningDeps,
  settings: DistributionSettings,
  options: { timeZone?: string } = {},
) => {
  const now = deps.now();
  const timeZone = options.timeZone ?? settings.defaultTimeZone;
  const week = weekKeyOf(now, timeZone);
  const roster = await loadRoster(
    deps,
    settings,
    { runId: undefined, weekKey: week, timeZone, runAt: now },
    false,
  );
  const { plan, eligible } = await planRun(deps, settings, roster, new Map(), undefined);
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
};
