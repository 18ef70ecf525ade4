import type { ShortfallPolicy } from '../../contracts/limits';
import { byCodeUnit } from '../../shared/order';

/**
 * The allocation planner: which member gets which lead in one distribution run. Pure and synchronous at
 * its core; a dry run shows the plan, a real run writes it.
 *
 * Steps:
 * 1. Put members who still need leads in a fair turn order: fewest received this week first, then
 *    longest waiting (never served first), then member id.
 * 2. Walk the uploads strictly oldest first, and each upload's leads in the order given.
 * 3. Offer every deliverable lead with spare capacity (assigned to fewer than `maxAssignmentsPerLead`
 *    members) to the members in turn; a member who takes it goes to the back of the line, a member who
 *    already holds it keeps their place. One lead per member per round, so a shortfall is shared out.
 * 4. Stop when nobody needs more. An upload whose leads were all walked without spare capacity left is
 *    reported exhausted; members left short are reported with what they got.
 *
 * Cost: O(members log members + leads walked x maxAssignmentsPerLead); no lead scans the member list.
 * 100k leads for 10k members take about 0.1-0.2 s of CPU (`bench/distribution-allocation.ts`), most of
 * it the per-lead bookkeeping that guards against a lead fed twice.
 */

export const DEFAULT_MAX_ASSIGNMENTS_PER_LEAD = 1;

/**
 * How a shortfall is shared when the supply cannot cover what everyone is owed (`ShortfallPolicy`):
 * - `proportional`: every member gets the same fraction of what they are owed, rounded by largest
 *   remainder (ties to the member waiting longest, then member id);
 * - `equal`: one lead per member per round until the supply runs out (an equal share per head).
 */
export type { ShortfallPolicy };

/** Only a lead the verifier settled as deliverable may be handed out. */
export const DELIVERABLE = 'deliverable';

export interface MemberDemand {
  memberId: string;
  /** Leads still owed this run: weekly quota minus received this week (see `weeklyNeed`). Whole, >= 0. */
  need: number;
  /** Leads received so far this week; fewer goes first. */
  receivedThisWeek: number;
  /** When the member last got a lead; absent or null means never, which goes first. */
  lastServedAt?: Date | string | null;
  /** Leads this member already holds (from earlier runs), never offered to them again. */
  alreadyHasLeadIds?: ReadonlySet<string>;
}

export interface CandidateLead {
  leadId: string;
  /** Verification state; only 'deliverable' is handed out. */
  status: string;
  /** Members this lead has already gone to, in earlier runs. */
  assignedCount: number;
}

export interface UploadSupply<Leads = Iterable<CandidateLead>> {
  uploadId: string;
  /** Orders the uploads, oldest first; ties broken by uploadId. */
  createdAt: Date | string;
  /** The upload's leads in file order, e.g. a generator that pages through a database cursor. */
  leads: Leads;
}

export interface AllocationInput<Leads = Iterable<CandidateLead>> {
  members: readonly MemberDemand[];
  /** Queued uploads; the planner itself sorts them oldest first. */
  uploads: readonly UploadSupply<Leads>[];
  /** How many different members one lead may go to over its life. Default 1. */
  maxAssignmentsPerLead?: number;
  /** How a shortfall is shared. Default `equal` (the plain round robin). */
  shortfallPolicy?: ShortfallPolicy;
}

export interface Assignment {
  memberId: string;
  leadId: string;
  uploadId: string;
}

export interface MemberAllocation {
  memberId: string;
  need: number;
  got: number;
  shortfall: number;
  /** How many leads came from each upload, oldest upload first. */
  fromUploads: { uploadId: string; count: number }[];
}

export interface UploadUsage {
  uploadId: string;
  /** Leads read from this upload during the plan. */
  leadsWalked: number;
  /** Assignments made from this upload (a lead shared by two members counts twice). */
  assignments: number;
  /** Every lead was walked and none has spare deliverable capacity left: mark the upload `exhausted`. */
  exhausted: boolean;
}

export interface AllocationPlan {
  /** In the order made; the upload order never goes backwards. */
  assignments: Assignment[];
  /** Every member given, in turn order. */
  perMember: MemberAllocation[];
  /** Members who got fewer than they needed. */
  shortMembers: { memberId: string; need: number; got: number }[];
  /** Uploads to mark `exhausted`, oldest first. */
  exhaustedUploads: string[];
  /** The uploads the plan read from, oldest first. */
  uploadsTouched: UploadUsage[];
  totals: { need: number; assigned: number; shortfall: number };
}

const NONE = -1;

const toMs = (value: Date | string | null | undefined): number => {
  if (value === undefined || value === null) return Number.NEGATIVE_INFINITY;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  // An unreadable timestamp sorts as "never served": the member waits no longer than they should.
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
};

/**
 * The fair turn order: fewest received this week, then longest waiting (never served first), then member
 * id. Each timestamp is parsed once, not once per comparison.
 */
export const sortByTurnOrder = (members: readonly MemberDemand[]): MemberDemand[] =>
  members
    .map((member) => ({ member, lastServedMs: toMs(member.lastServedAt) }))
    .sort(
      (a, b) =>
        a.member.receivedThisWeek - b.member.receivedThisWeek ||
        // Two never-served members give -Infinity - -Infinity = NaN, which `||` treats as a tie.
        a.lastServedMs - b.lastServedMs ||
        byCodeUnit(a.member.memberId, b.member.memberId),
    )
    .map(({ member }) => member);

/** Sorted oldest first, ties by uploadId, so "strictly oldest first" does not depend on the caller. */
export const sortUploadsOldestFirst = <U extends { uploadId: string; createdAt: Date | string }>(
  uploads: readonly U[],
): U[] =>
  [...uploads].sort((a, b) => toMs(a.createdAt) - toMs(b.createdAt) || byCodeUnit(a.uploadId, b.uploadId));

const assertWhole = (value: number, what: string, minimum: number): void => {
  if (!Number.isInteger(value) || value < minimum)
    throw new RangeError(`${what} must be a whole number >= ${minimum}`);
};

/**
 * Incremental form of the planner, for a caller that reads leads page by page and wants to stop
 * reading as soon as everyone is served. `planAllocation` / `planAllocationAsync` drive it for you.
 */
export class AllocationPlanner {
  private readonly members: MemberDemand[];
  /** what each member is owed; `needs` is what this plan may give them (less when the supply is short) */
  private readonly owed: Int32Array;
  private readonly needs: Int32Array;
  private readonly got: Int32Array;
  // The turn line is a doubly linked list over member indexes: O(1) to serve the front and requeue.
  private readonly nextInLine: Int32Array;
  private readonly previousInLine: Int32Array;
  private head = NONE;
  private tail = NONE;
  private waiting = 0;
  private readonly takersByLead = new Map<string, number[]>();
  // Uploads are read one after another, so each member's tally only ever grows at its end.
  private readonly fromUploadsByMember: { uploadId: string; count: number }[][];
  private readonly assignments: Assignment[] = [];
  private readonly usage: UploadUsage[] = [];
  private current: UploadUsage | undefined;
  private currentHasSpareLead = false;
  private readonly maxAssignmentsPerLead: number;

  /**
   * `shares`: the most a member may get in this plan when that is below their need (a proportional share
   * of a short supply); the plan still reports the full need as owed.
   */
  constructor(
    members: readonly MemberDemand[],
    maxAssignmentsPerLead = DEFAULT_MAX_ASSIGNMENTS_PER_LEAD,
    shares?: ReadonlyMap<string, number>,
  ) {
    assertWhole(maxAssignmentsPerLead, 'maxAssignmentsPerLead', 1);
    const ids = new Set<string>();
    for (const member of members) {
      assertWhole(member.need, `need of member ${member.memberId}`, 0);
      if (ids.has(member.memberId)) throw new RangeError(`Member ${member.memberId} is listed twice`);
      ids.add(member.memberId);
    }
    this.maxAssignmentsPerLead = maxAssignmentsPerLead;
    this.members = sortByTurnOrder(members);
    const count = this.members.length;
    this.owed = Int32Array.from(this.members, (member) => member.need);
    this.needs = Int32Array.from(this.members, (member) =>
      Math.min(member.need, shares?.get(member.memberId) ?? member.need),
    );
    this.got = new Int32Array(count);
    this.nextInLine = new Int32Array(count).fill(NONE);
    this.previousInLine = new Int32Array(count).fill(NONE);
    this.fromUploadsByMember = this.members.map(() => []);
    this.members.forEach((_, index) => {
      if ((this.needs[index] ?? 0) > 0) this.joinLine(index);
    });
  }

  /** Nobody needs another lead. */
  get satisfied(): boolean {
    return this.waiting === 0;
  }

  /** Start reading an upload; call in oldest-first order. */
  beginUpload(uploadId: string): void {
    this.current = { uploadId, leadsWalked: 0, assignments: 0, exhausted: false };
    this.usage.push(this.current);
  }

  /**
   * Offer one lead of the current upload to the members in turn; returns the assignments it made. A lead
   * that is not deliverable, or already at its limit, is passed over.
   */
  offer(lead: CandidateLead): Assignment[] {
    const upload = this.current;
    if (!upload) throw new Error('beginUpload must be called before offering leads');
    upload.leadsWalked += 1;
    if (lead.status !== DELIVERABLE) return [];
    // Members who got this lead earlier in this plan: only non-empty if the lead is shared or was fed twice.
    let takers = this.takersByLead.get(lead.leadId);
    let spare = this.maxAssignmentsPerLead - Math.max(0, lead.assignedCount) - (takers?.length ?? 0);
    if (spare <= 0) return [];

    const made: Assignment[] = [];
    // Visit each member in line at most once; a member requeued at the back is past the budget.
    let budget = this.waiting;
    let candidate = this.head;
    while (spare > 0 && budget > 0 && candidate !== NONE) {
      const following = this.nextInLine[candidate] ?? NONE;
      budget -= 1;
      const holdsIt =
        takers?.includes(candidate) || this.members[candidate]?.alreadyHasLeadIds?.has(lead.leadId) === true;
      if (!holdsIt) {
        if (!takers) {
          takers = [];
          this.takersByLead.set(lead.leadId, takers);
        }
        takers.push(candidate);
        made.push(this.assign(candidate, lead.leadId, upload));
        spare -= 1;
      }
      candidate = following;
    }
    if (spare > 0) this.currentHasSpareLead = true;
    return made;
  }

  /**
   * Everyone is served and the current upload has shown a lead still worth keeping, so reading on can
   * change nothing. (While everyone is served but no such lead has shown up, keep offering: reaching the
   * end of the upload proves it exhausted.)
   */
  get canStopReading(): boolean {
    return this.satisfied && this.currentHasSpareLead;
  }

  /** Close the current upload; `walkedToEnd` says every one of its leads was offered. */
  endUpload(walkedToEnd: boolean): void {
    if (this.current) this.current.exhausted = walkedToEnd && !this.currentHasSpareLead;
    this.current = undefined;
    this.currentHasSpareLead = false;
  }

  /** The plan so far. */
  result(): AllocationPlan {
    const perMember = this.members.map((member, index): MemberAllocation => {
      const need = this.owed[index] ?? 0;
      const got = this.got[index] ?? 0;
      return {
        memberId: member.memberId,
        need,
        got,
        shortfall: need - got,
        fromUploads: (this.fromUploadsByMember[index] ?? []).map((tally) => ({ ...tally })),
      };
    });
    const shortMembers = perMember
      .filter((member) => member.shortfall > 0)
      .map(({ memberId, need, got }) => ({ memberId, need, got }));
    const need = perMember.reduce((sum, member) => sum + member.need, 0);
    return {
      assignments: [...this.assignments],
      perMember,
      shortMembers,
      exhaustedUploads: this.usage.filter((upload) => upload.exhausted).map((upload) => upload.uploadId),
      uploadsTouched: this.usage.map((upload) => ({ ...upload })),
      totals: { need, assigned: this.assignments.length, shortfall: need - this.assignments.length },
    };
  }

  private assign(index: number, leadId: string, upload: UploadUsage): Assignment {
    const member = this.members[index];
    if (!member) throw new Error(`No member at turn ${index}`);
    this.got[index] = (this.got[index] ?? 0) + 1;
    const fromUploads = this.fromUploadsByMember[index] ?? [];
    const latest = fromUploads.at(-1);
    if (latest?.uploadId === upload.uploadId) latest.count += 1;
    else fromUploads.push({ uploadId: upload.uploadId, count: 1 });
    upload.assignments += 1;

    this.leaveLine(index);
    if ((this.got[index] ?? 0) < (this.needs[index] ?? 0)) this.joinLine(index);

    const assignment = { memberId: member.memberId, leadId, uploadId: upload.uploadId };
    this.assignments.push(assignment);
    return assignment;
  }

  private joinLine(index: number): void {
    this.previousInLine[index] = this.tail;
    this.nextInLine[index] = NONE;
    if (this.tail === NONE) this.head = index;
    else this.nextInLine[this.tail] = index;
    this.tail = index;
    this.waiting += 1;
  }

  private leaveLine(index: number): void {
    const previous = this.previousInLine[index] ?? NONE;
    const next = this.nextInLine[index] ?? NONE;
    if (previous === NONE) this.head = next;
    else this.nextInLine[previous] = next;
    if (next === NONE) this.tail = previous;
    else this.previousInLine[next] = previous;
    this.previousInLine[index] = NONE;
    this.nextInLine[index] = NONE;
    this.waiting -= 1;
  }
}

/**
 * Each member's share of a supply too small for what everyone is owed: the same fraction of each need,
 * floored, and the leads left over one each to the largest remainders (ties to the member waiting
 * longest, then member id). Undefined when the supply covers every need. Exact in integers.
 */
export const proportionalShares = (
  members: readonly MemberDemand[],
  supply: number,
): Map<string, number> | undefined => {
  const total = members.reduce((sum, member) => sum + member.need, 0);
  if (supply >= total) return undefined;
  const shares = new Map<string, number>();
  const remainders: { member: MemberDemand; remainder: number; lastServedMs: number }[] = [];
  let left = Math.max(0, supply);
  for (const member of members) {
    const scaled = member.need * Math.max(0, supply);
    const share = Math.floor(scaled / total);
    shares.set(member.memberId, share);
    left -= share;
    remainders.push({ member, remainder: scaled - share * total, lastServedMs: toMs(member.lastServedAt) });
  }
  remainders.sort(
    (a, b) =>
      b.remainder - a.remainder ||
      a.lastServedMs - b.lastServedMs ||
      byCodeUnit(a.member.memberId, b.member.memberId),
  );
  for (const { member, remainder } of remainders) {
    if (left <= 0 || remainder === 0) break;
    shares.set(member.memberId, (shares.get(member.memberId) ?? 0) + 1);
    left -= 1;
  }
  return shares;
};

/** Assignments a lead can still take in this plan: spare capacity, but never more than the members owed. */
const capacityOf = (lead: CandidateLead, maxAssignmentsPerLead: number, waiting: number): number =>
  lead.status === DELIVERABLE
    ? Math.max(0, Math.min(waiting, maxAssignmentsPerLead - Math.max(0, lead.assignedCount)))
    : 0;

const totalNeedOf = (members: readonly MemberDemand[]) =>
  members.reduce((sum, member) => sum + member.need, 0);
const waitingOf = (members: readonly MemberDemand[]) => members.filter((member) => member.need > 0).length;

/** Plan a run from uploads whose leads are arrays or synchronous iterables. */
export const planAllocation = (input: AllocationInput): AllocationPlan => {
  const max = input.maxAssignmentsPerLead ?? DEFAULT_MAX_ASSIGNMENTS_PER_LEAD;
  const uploads = sortUploadsOldestFirst(input.uploads).map((upload) => ({
    ...upload,
    leads: [...upload.leads],
  }));
  let shares: Map<string, number> | undefined;
  if (input.shortfallPolicy === 'proportional') {
    const waiting = waitingOf(input.members);
    const supply = uploads.reduce(
      (sum, upload) => sum + upload.leads.reduce((leads, lead) => leads + capacityOf(lead, max, waiting), 0),
      0,
    );
    shares = proportionalShares(input.members, supply);
  }
  const planner = new AllocationPlanner(input.members, max, shares);
  for (const upload of uploads) {
    if (planner.satisfied) break;
    planner.beginUpload(upload.uploadId);
    let walkedToEnd = true;
    for (const lead of upload.leads) {
      planner.offer(lead);
      if (planner.canStopReading) {
        walkedToEnd = false;
        break;
      }
    }
    planner.endUpload(walkedToEnd);
  }
  return planner.result();
};

const iteratorOf = (
  leads: AsyncIterable<CandidateLead> | Iterable<CandidateLead>,
): AsyncIterator<CandidateLead> | Iterator<CandidateLead> =>
  Symbol.asyncIterator in leads ? leads[Symbol.asyncIterator]() : leads[Symbol.iterator]();

interface ReadAhead {
  upload: UploadSupply<unknown>;
  read: CandidateLead[];
  iterator: AsyncIterator<CandidateLead> | Iterator<CandidateLead>;
  ended: boolean;
}

/**
 * Plan a run from uploads whose leads arrive asynchronously, e.g. an async generator paging a DynamoDB
 * Query. Reads no further than it must: once nobody needs more it reads on only until the current upload
 * shows a lead still worth keeping (or ends, so it can be marked exhausted now rather than next run), and
 * it never opens a later upload. With the `proportional` policy it first reads ahead, oldest upload first,
 * until the leads read cover every need (no shortfall) or the supply ends (then the shares are known).
 */
export const planAllocationAsync = async (
  input: AllocationInput<AsyncIterable<CandidateLead> | Iterable<CandidateLead>>,
): Promise<AllocationPlan> => {
  const max = input.maxAssignmentsPerLead ?? DEFAULT_MAX_ASSIGNMENTS_PER_LEAD;
  const uploads: ReadAhead[] = sortUploadsOldestFirst(input.uploads).map((upload) => ({
    upload,
    read: [],
    iterator: iteratorOf(upload.leads),
    ended: false,
  }));
  let shares: Map<string, number> | undefined;
  if (input.shortfallPolicy === 'proportional') {
    const totalNeed = totalNeedOf(input.members);
    const waiting = waitingOf(input.members);
    let supply = 0;
    for (const ahead of uploads) {
      while (supply < totalNeed) {
        const next = await ahead.iterator.next();
        if (next.done) {
          ahead.ended = true;
          break;
        }
        ahead.read.push(next.value);
        supply += capacityOf(next.value, max, waiting);
      }
      if (supply >= totalNeed) break;
    }
    shares = proportionalShares(input.members, supply);
  }
  const planner = new AllocationPlanner(input.members, max, shares);
  for (const ahead of uploads) {
    if (planner.satisfied) {
      // Read ahead but not needed after all: let its cursor go.
      if (ahead.read.length > 0 && !ahead.ended) await ahead.iterator.return?.();
      continue;
    }
    planner.beginUpload(ahead.upload.uploadId);
    let walkedToEnd = true;
    let stopped = false;
    for (const lead of ahead.read) {
      planner.offer(lead);
      if (planner.canStopReading) {
        stopped = true;
        break;
      }
    }
    if (!stopped && !ahead.ended) {
      for (let next = await ahead.iterator.next(); !next.done; next = await ahead.iterator.next()) {
        planner.offer(next.value);
        if (planner.canStopReading) {
          stopped = true;
          break;
        }
      }
    }
    if (stopped) {
      walkedToEnd = false;
      await ahead.iterator.return?.();
    }
    planner.endUpload(walkedToEnd);
  }
  return planner.result();
};
