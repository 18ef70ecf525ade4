import type { Sleep } from '../shared/backoff';
import type { Logger } from '../shared/logger';
import type {
  AssignmentItem,
  LeadItem,
  LedgerEntry,
  MemberItem,
  MemberWeekItem,
  ScheduleItem,
  UploadItem,
} from '../shared/model';
import type { SuppressionSnapshot } from '../suppression/domain/suppression';
import type { CheckpointUpdate, RunSummary, StoredRun, WindowEntry } from './domain/run';

/** What a distribution run reads and writes, one port per aggregate; `adapters/` has the DynamoDB side. */

/** The run items and the heartbeat (control table). */
export interface RunStore {
  /** Creates the run item unless it exists; a redelivered invocation gets the existing one. */
  openRun(run: StoredRun): Promise<{ created: boolean; run: StoredRun }>;
  getRun(key: Pick<StoredRun, 'pk' | 'sk'>): Promise<StoredRun | undefined>;
  /** This attempt (lock generation `fence`) takes the run over; undefined when finished or a newer one has. */
  startAttempt(run: StoredRun, attemptId: string, fence: number): Promise<StoredRun | undefined>;
  markSkipped(run: StoredRun, reason: string, endedAt: string): Promise<boolean>;
  /** Throws LostRunError when an attempt with a newer lock generation (`fence`) holds the run. */
  checkpoint(run: StoredRun, fence: number, update: CheckpointUpdate): Promise<void>;
  finishRun(
    run: StoredRun,
    fence: number,
    summary: Pick<
      StoredRun,
      | 'endedAt'
      | 'membersServed'
      | 'membersShort'
      | 'membersNotified'
      | 'notifiedUnknown'
      | 'membersNotMailed'
      | 'uploadsExhausted'
    >,
  ): Promise<void>;
  failRun(run: StoredRun, fence: number, error: string, endedAt: string): Promise<void>;
  /** With the run's lock generation: false (nothing written) when a newer generation wrote it. */
  putHeartbeat(heartbeat: Record<string, unknown>, fence?: number): Promise<boolean>;
}

export interface LockHolder {
  runId: string;
  attemptId: string;
  leaseUntil: number;
  /** the fencing token: one more at every take of the lock */
  generation: number;
}

/** The one run lock with a lease (control table). */
export interface RunLock {
  /** Takes the lock; its new generation (the run's fencing token), or undefined when another holds it. */
  acquire(lock: Omit<LockHolder, 'generation'>, nowMs: number): Promise<number | undefined>;
  read(): Promise<LockHolder | undefined>;
  /** Extends the lease; false when this attempt no longer holds the lock. */
  renew(attemptId: string, leaseUntil: number): Promise<boolean>;
  release(attemptId: string): Promise<void>;
}

/** The run lock generation a run's writes carry, and the run (named in the LostRunError a refusal throws). */
export interface RunFence {
  fence: number;
  runId: string;
}

/** The leads to hand out: queued uploads, their leads, and the counters that follow them. */
export interface SupplyStore {
  queuedUploads(): Promise<UploadItem[]>;
  assignableLeads(
    uploadId: string,
    maxAssignmentsPerLead: number,
    runId: string | undefined,
  ): AsyncIterable<LeadItem & Record<string, unknown>>;
  leadsByKey(entries: readonly { uploadId: string; row: number }[]): Promise<LeadItem[]>;
  /** A suppressed lead nobody received leaves the supply (rejected, counters follow); false if it changed. */
  retireSuppressedLead(lead: LeadItem, maxAssignmentsPerLead: number): Promise<boolean>;
  /** One conditional write on the lead, fenced by the run's lock generation. */
  claimLead(
    entry: WindowEntry,
    runId: string,
    maxAssignmentsPerLead: number,
    fence: number,
  ): Promise<boolean>;
  addWindowCounters(
    marker: string,
    weekKey: string,
    assigned: number,
    perUpload: ReadonlyMap<string, number>,
    run: RunFence,
  ): Promise<void>;
  exhaustUpload(
    upload: Pick<UploadItem, 'uploadId' | 'createdAt'>,
    run: RunFence,
    now: string,
  ): Promise<void>;
  releaseMarkers(
    table: 'control' | 'uploads',
    key: Record<string, string>,
    markers: readonly string[],
    run: RunFence,
  ): Promise<void>;
  globalCounters(): Promise<Record<string, unknown>>;
}

/** Eligible members, their week ledger and the assignments they receive (members table). */
export interface AssignmentStore {
  eligibleMembers(): Promise<MemberItem[]>;
  /** Per-member tallies from before the ledger (a member's first ledger week starts from them). */
  legacyWeekTallies(memberIds: readonly string[], weekKey: string): Promise<Map<string, MemberWeekItem>>;
  /** These members' entries of these weeks: week key -> member id -> entry. */
  ledgerWeeks(
    memberIds: readonly string[],
    weekKeys: readonly string[],
  ): Promise<Map<string, Map<string, LedgerEntry>>>;
  /** Reads a run's members' entries of this week and fences them with the run's lock generation. */
  fenceLedgerWeek(
    memberIds: readonly string[],
    weekKey: string,
    run: { fence: number; runId: string; expiresAt: number },
  ): Promise<Map<string, LedgerEntry>>;
  /** Fenced entries first (LostRunError when a newer generation holds one), then the assignment items. */
  putAssignmentsAndLedger(
    assignments: readonly AssignmentItem[],
    entries: readonly LedgerEntry[],
    run: RunFence,
  ): Promise<void>;
  /** Takes `delivered` off the member's owed replacements, once per run. */
  settleReplacements(memberId: string, runId: string, owedBefore: number, delivered: number): Promise<void>;
}

export interface NotificationChunk {
  index: number;
  memberIds: string[];
  /** `claimed` until the sends are recorded: a chunk still claimed on a retry has an unknown outcome. */
  state: 'claimed' | 'sent';
  failed?: string[];
  /** Members whose send has no known outcome (SES may have accepted it): never sent again. */
  unknown?: string[];
}

/** The notification claims of a run (control table). */
export interface NotificationLog {
  chunks(runId: string): Promise<NotificationChunk[]>;
  /** Claims chunk `index` for these members; false when it is taken. */
  claim(runId: string, index: number, memberIds: readonly string[], expiresAt: number): Promise<boolean>;
  record(
    runId: string,
    index: number,
    outcome: { failed: readonly string[]; unknown: readonly string[] },
  ): Promise<void>;
}

export interface LeadsNotice {
  memberId: string;
  email: string;
  name: string;
  leads: number;
  /** Of those, replacements for returned leads the member was owed. */
  replacements: number;
}

/** `unknown`: the request left and no answer says whether SES accepted it; it is never retried. */
export type SendOutcome = 'sent' | 'failed' | 'unknown';

export interface Notifier {
  notify(notice: LeadsNotice): Promise<SendOutcome>;
}

/** The member reads a run needs: is a member's eligibility count current, and the repair of one that is not. */
export interface MemberCounting {
  repairCounterIntents(): Promise<unknown>;
  isCountedCurrent(item: MemberItem): boolean;
  reconcile(item: MemberItem): Promise<MemberItem>;
}

export interface ScheduleReader {
  get(scheduleId: string): Promise<ScheduleItem | undefined>;
}

export interface RunOutcomeMetrics {
  /** Called once per invocation that ends a run (succeeded or skipped) or fails an attempt. */
  record(summary: RunSummary | { outcome: 'failed' }): void;
}

/** Everything the planning half of a run reads (a dry run needs nothing more). */
export interface PlanningDeps {
  readonly supply: Pick<SupplyStore, 'queuedUploads' | 'assignableLeads'>;
  readonly assignments: Pick<
    AssignmentStore,
    'eligibleMembers' | 'legacyWeekTallies' | 'ledgerWeeks' | 'fenceLedgerWeek'
  >;
  readonly members: MemberCounting;
  /** The suppression list, read once per plan: listed people are never handed out. */
  readonly suppression: { snapshot(): Promise<SuppressionSnapshot> };
  readonly now: () => Date;
}

export interface DistributionDeps extends PlanningDeps {
  readonly runs: RunStore;
  readonly lock: RunLock;
  readonly supply: SupplyStore;
  readonly assignments: AssignmentStore;
  readonly notifications: NotificationLog;
  readonly schedules: ScheduleReader;
  readonly notifier: Notifier;
  readonly metrics: RunOutcomeMetrics;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly sleep: Sleep;
  readonly newId: () => string;
}
