import { createHash } from 'node:crypto';
import type { ShortfallPolicy } from '../../contracts/limits';
import type { Tier } from '../../members/domain/tiers';
import { isKnownTimeZone } from '../../schedules/domain/zoned-time';
import type { LeadItem, LedgerEntry, MemberItem, RunItem, RunState, RunTrigger } from '../../shared/model';
import * as z from '../../shared/zod';
import type { WeekAccrual, WeekEntitlement } from './entitlement';

/**
 * A distribution run as the domain sees it: what starts one, the settings it runs with, the summary it
 * returns, and the checkpoint it keeps on its run item so that any later attempt resumes exactly where the
 * last one stopped.
 */

export const RunRequestSchema = z.discriminatedUnion('trigger', [
  z.object({
    trigger: z.literal('schedule'),
    scheduleId: z.string().check(z.minLength(1), z.maxLength(64)),
    scheduleArn: z.string().check(z.startsWith('arn:', 'must be the schedule ARN Scheduler substitutes')),
    scheduledTime: z.iso.datetime({ offset: true }),
    executionId: z.optional(z.string()),
    attemptNumber: z.optional(z.string()),
  }),
  z.object({
    trigger: z.literal('manual'),
    runId: z.string().check(z.regex(/^[0-9A-Za-z-]{10,64}$/)),
    requestedAt: z.iso.datetime({ offset: true }),
    requestedBy: z.string().check(z.minLength(1), z.maxLength(128)),
    timeZone: z.optional(z.string().check(z.refine(isKnownTimeZone, 'must be an IANA time zone'))),
    executionId: z.optional(z.string()),
    attemptNumber: z.optional(z.string()),
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
  /** Weekly quotas of unmet entitlement a member carries into the next week; 0 forgets a short week. */
  readonly carryOverWeeks: number;
  readonly shortfallPolicy: ShortfallPolicy;
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
  carryOverWeeks: 1,
  shortfallPolicy: 'proportional',
};

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
  /** members claimed for the email whose send has no known outcome; none of them is mailed again */
  notifiedUnknown: number;
  /** members served whose address is marked: leads assigned, no email */
  membersNotMailed: number;
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

/** This attempt no longer owns the run (its lease lapsed and another attempt took over). */
export class LostRunError extends Error {
  constructor(runId: string) {
    super(`Run ${runId} is now driven by another attempt`);
    this.name = 'LostRunError';
  }
}

/** A scheduled run's id: the same for every delivery of the same scheduled time of the same schedule. */
export const scheduledRunId = (scheduleArn: string, scheduledTime: string) =>
  `s-${createHash('sha256')
    .update(`${scheduleArn}|${new Date(scheduledTime).toISOString()}`)
    .digest('hex')
    .slice(0, 32)}`;

// ---------- the checkpoint ----------

/** One planned assignment, as the checkpoint stores it. */
export interface WindowEntry {
  memberId: string;
  uploadId: string;
  row: number;
}

/** A member's tally as a window leaves it: [received this week, received before this run]. */
export type TallyTarget = [received: number, receivedBeforeRun: number];

/** The window of assignments being written; stored before its first lead write, so a retry can finish it. */
export interface PendingWindow {
  index: number;
  /** `memberId \t uploadId \t row`, compact so 1000 fit easily in the run item */
  entries: string[];
  tallies: Record<string, TallyTarget>;
}

export type RunPhase = 'assign' | 'exhaust' | 'notify';

export interface RunStats {
  need: number;
  shortfall: number;
  membersShort: number;
}

/** Progress of a run, in its run item. */
export interface RunProgress {
  phase?: RunPhase;
  windowsDone?: number;
  pending?: PendingWindow;
  exhausting?: string[];
  stats?: RunStats;
  uploadsTouched?: Set<string>;
  /** the run lock generation of the attempt holding the run: every later write on the run item requires it */
  fence?: number;
}

export type StoredRun = RunItem & RunProgress;

/** What one checkpoint write records: the window just completed and what comes next. */
export interface CheckpointUpdate {
  completed?: { assigned: number; uploads: string[] };
  pending?: PendingWindow | null;
  phase?: RunPhase;
  exhausting?: string[];
  stats?: RunStats;
}

export const encodeEntry = (entry: WindowEntry) => `${entry.memberId}\t${entry.uploadId}\t${entry.row}`;
export const decodeEntry = (text: string): WindowEntry => {
  const [memberId = '', uploadId = '', row = '0'] = text.split('\t');
  return { memberId, uploadId, row: Number(row) };
};

/** Window markers of a run's counter ADDs; they stay in flight until the run releases them at the end. */
export const windowMarker = (runId: string, index: number) => `run#${runId}#w${index}`;
export const exhaustMarker = (uploadId: string) => `exhaust#${uploadId}`;
/** The lead attribute (a string set) naming the members a run gave the lead to. */
export const runClaimsAttribute = (runId: string) => `claims#${runId}`;

/** `<createdAt>#<uploadId>`: how the checkpoint lists the uploads a run is exhausting. */
export const exhaustingEntry = (createdAt: string, uploadId: string) => `${createdAt}#${uploadId}`;
export const parseExhaustingEntry = (entry: string) => {
  const separator = entry.lastIndexOf('#');
  return { createdAt: entry.slice(0, separator), uploadId: entry.slice(separator + 1) };
};

export const TERMINAL_STATES: readonly RunState[] = ['succeeded', 'skipped'];
export const isFinished = (run: Pick<RunItem, 'state'>) => TERMINAL_STATES.includes(run.state);

export const leadIdOf = (lead: Pick<LeadItem, 'uploadId' | 'row'>) => `${lead.uploadId}#${lead.row}`;

/** A member in a run: what they are owed this week, have this week and had before the run. */
export interface RosterEntry {
  member: MemberItem;
  received: number;
  /** received before this run (this run's own assignments = received - base) */
  base: number;
  /** when the member last got a lead before this run (fairness: longest waiting first) */
  lastServedBefore: string | null;
  /** the week's accrual (fixed by its first run) and the entitlement it gives now */
  accrual: WeekAccrual;
  entitlement: WeekEntitlement;
  /** leads received this week by run, this run's own left out */
  runsBefore: Record<string, number>;
  /** a run (this one or an earlier one) has written the member's ledger entry of this week */
  inLedger: boolean;
}

/** The member's ledger entry of the run's week once they hold `received` leads. */
export const ledgerEntryOf = (
  entry: RosterEntry,
  run: Pick<StoredRun, 'runId' | 'weekKey' | 'startedAt'>,
  received: number,
): LedgerEntry => {
  const ownCount = received - entry.base;
  return {
    memberId: entry.member.memberId,
    weekKey: run.weekKey,
    quota: entry.entitlement.quota,
    accruedFrom: entry.accrual.accruedFrom,
    accruedThrough: entry.accrual.accruedThrough,
    accrued: entry.entitlement.accrued,
    carriedIn: entry.entitlement.carriedIn,
    owed: entry.entitlement.owed,
    received,
    runs: ownCount > 0 ? { ...entry.runsBefore, [run.runId]: ownCount } : { ...entry.runsBefore },
    runId: run.runId,
    receivedBeforeRun: entry.base,
    lastServedAt: ownCount > 0 ? run.startedAt : entry.lastServedBefore,
    lastServedBeforeRun: entry.lastServedBefore,
  };
};
export type Roster = Map<string, RosterEntry>;

/** The summary of a run as its item records it (a finished, skipped or joined run). */
export const summaryOf = (run: StoredRun, outcome: RunSummary['outcome']): RunSummary => ({
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
  notifiedUnknown: run.notifiedUnknown ?? 0,
  membersNotMailed: run.membersNotMailed ?? 0,
  shortfall: run.stats?.shortfall ?? 0,
  uploadsTouched: [...(run.uploadsTouched ?? [])].sort(),
  uploadsExhausted: run.uploadsExhausted ?? [],
  ...(run.skippedReason ? { skippedReason: run.skippedReason } : {}),
});
