import { isEligible } from '../../members/domain/tiers';
import { precedingWeekKeys, weekBounds, weekKey as weekKeyOf } from '../../schedules/domain/schedule';
import {
  type LeadItem,
  type LedgerEntry,
  ledgerBucketOf,
  type MemberItem,
  type MemberWeekItem,
} from '../../shared/model';
import { isSuppressed } from '../../suppression/domain/suppression';
import {
  type AllocationPlan,
  type Assignment,
  type CandidateLead,
  type MemberDemand,
  planAllocationAsync,
} from '../domain/allocate';
import { owedInRun, weekAccrual, weekEntitlement } from '../domain/entitlement';
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

/** Ledger weeks are kept a year past their end, so a member's ledger shows a year of history. */
export const ledgerExpiresAt = (runAt: Date, timeZone: string) =>
  Math.floor(weekBounds(runAt, timeZone).end.getTime() / 1000) + 400 * 86_400;

/** How far back a week's first run looks for a member's latest earlier entry (a monthly gap fits). */
export const LEDGER_LOOKBACK_WEEKS = 6;

/**
 * Eligible members with what they are owed and have received this week (`entitlement.ts`); a member whose
 * eligibility lapsed is re-counted (`reconcile`). A run passes its lock generation (`fence`): this week's
 * ledger is then read by fencing it, so a run that lost the lock can no longer change what this one has
 * counted. A dry run reads it plainly.
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
  const week = weekBounds(run.runAt, run.timeZone);
  const earlierKeys = precedingWeekKeys(run.runAt, run.timeZone, LEDGER_LOOKBACK_WEEKS);
  const [current, earlier] = await Promise.all([
    fence === undefined || run.runId === undefined
      ? deps.assignments
          .ledgerWeeks(ids, [run.weekKey])
          .then((weeks) => weeks.get(run.weekKey) ?? new Map<string, LedgerEntry>())
      : deps.assignments.fenceLedgerWeek(ids, run.weekKey, {
          fence,
          runId: run.runId,
          expiresAt: ledgerExpiresAt(run.runAt, run.timeZone),
        }),
    deps.assignments.ledgerWeeks(ids, earlierKeys),
  ]);
  const latestEarlier = (memberId: string) =>
    earlierKeys.map((key) => earlier.get(key)?.get(memberId)).find((entry) => entry !== undefined);
  // Members with no ledger yet start from the tally runs kept before it (this week's received count).
  const newToLedger = ids.filter((id) => !current.has(id) && latestEarlier(id) === undefined);
  const legacy =
    newToLedger.length > 0
      ? await deps.assignments.legacyWeekTallies(newToLedger, run.weekKey)
      : new Map<string, MemberWeekItem>();

  const roster: Roster = new Map();
  for (const member of members) {
    const entry = current.get(member.memberId);
    const previous = latestEarlier(member.memberId);
    const old = legacy.get(member.memberId);
    const accrual = entry
      ? { accruedFrom: entry.accruedFrom, accruedThrough: entry.accruedThrough, carriedIn: entry.carriedIn }
      : weekAccrual(member, week, previous, settings.tiers, settings.carryOverWeeks);
    const received = entry?.received ?? old?.received ?? 0;
    const ours = entry !== undefined && entry.runId === run.runId;
    const { [run.runId ?? '']: _ownRun, ...runsBefore } =
      entry?.runs ?? (old ? { [old.runId]: old.received } : {});
    // A resumed run sees its members as they were when it began, so it plans what the first attempt planned.
    roster.set(member.memberId, {
      member,
      received,
      base: ours ? entry.receivedBeforeRun : received,
      lastServedBefore: ours
        ? entry.lastServedBeforeRun
        : (entry?.lastServedAt ?? old?.lastServedAt ?? previous?.lastServedAt ?? null),
      accrual,
      entitlement: weekEntitlement(member, accrual, now, settings.tiers),
      runsBefore,
      inLedger: entry !== undefined,
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
  const demands = new Map<string, MemberDemand & { alreadyHasLeadIds: Set<string> }>();
  for (const [memberId, entry] of roster) {
    demands.set(memberId, {
      memberId,
      need: owedInRun(entry.entitlement, entry.base) + replacementsOwedAtStart(entry.member, runId),
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
    shortfallPolicy: settings.shortfallPolicy,
  });
  return {
    plan,
    eligible: roster.size,
    createdAtOf: new Map(uploads.map((upload) => [upload.uploadId, upload.createdAt])),
    done,
    suppressed,
  };
};

/** Assignments grouped by member (so a member's entry is written once per window), in windows. */
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
  // Members in ledger-bucket order, so a window's entries fall in a few buckets: one write each.
  const ordered = [...byMember.entries()]
    .map(([memberId, entries]) => ({ bucket: ledgerBucketOf(memberId), entries }))
    .sort((a, b) => a.bucket - b.bucket)
    .flatMap(({ entries }) => entries);
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

/**
 * The plan a run would make now, writing nothing: what each member is owed, what they would get and from
 * which uploads.
 */
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
  const weekOf = (memberId: string) => {
    const entry = roster.get(memberId);
    return {
      receivedThisWeek: entry?.received ?? 0,
      accrued: entry?.entitlement.accrued ?? 0,
      carriedIn: entry?.entitlement.carriedIn ?? 0,
    };
  };
  return {
    dryRun: true as const,
    weekKey: week,
    timeZone,
    eligibleMembers: eligible,
    totals: plan.totals,
    members: plan.perMember
      .filter((member) => member.need > 0)
      .map(({ memberId, need, got, shortfall, fromUploads }) => ({
        memberId,
        tier: tierOf(memberId),
        ...weekOf(memberId),
        owed: need,
        planned: got,
        shortfall,
        fromUploads,
      })),
    shortMembers: plan.shortMembers.map(({ memberId, need, got }) => ({
      memberId,
      tier: tierOf(memberId),
      owed: need,
      planned: got,
    })),
    uploads: plan.uploadsTouched,
    exhaustedUploads: plan.exhaustedUploads,
  };
};
