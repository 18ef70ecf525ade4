import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { addCountersOnce } from '../../shared/counters';
import { queryAll } from '../../shared/dynamo';
import {
  type AssignmentItem,
  ELIGIBLE_INDEX_PK,
  GLOBAL_COUNTERS_KEY,
  HEARTBEAT_KEY,
  LEAD_SK_PREFIX,
  type LeadItem,
  leadKey,
  type MemberItem,
  type MemberWeekItem,
  memberWeekKey,
  notificationKey,
  RUN_LOCK_KEY,
  type RunItem,
  type ScheduleItem,
  scheduleKey,
  type UploadItem,
  uploadKey,
  uploadStateIndexKeys,
  weekCountersKey,
} from '../../shared/model';
import { batchGetAll, batchPutAll } from '../dynamo-batch';
import { isConditionalCheckFailed } from '../dynamo-errors';
import type { DocumentClient, Sleep } from '../ports';

/**
 * Every DynamoDB access of a distribution run, each one a GetItem, Query, BatchGet/BatchWrite or
 * conditional write on the keys of `shared/model.ts`. The use case (`run.ts`) decides the order.
 */

export interface DistributionTables {
  readonly uploads: string;
  readonly members: string;
  readonly control: string;
}

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
}

export type StoredRun = RunItem & RunProgress;

export interface LockItem {
  pk: string;
  sk: string;
  runId: string;
  attemptId: string;
  leaseUntil: number;
  expiresAt: number;
}

export interface NotificationChunk {
  index: number;
  memberIds: string[];
  state: 'claimed' | 'sent';
  failed?: string[];
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

const runKeyOf = (run: Pick<RunItem, 'pk' | 'sk'>) => ({ pk: run.pk, sk: run.sk });

/** Heartbeat attributes that describe one run, dropped when the next run does not set them. */
const HEARTBEAT_RUN_DETAILS = ['error', 'skippedReason', 'leadsAssigned', 'membersServed'];

export class DistributionRepository {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tables: DistributionTables,
    private readonly sleep: Sleep,
  ) {}

  // ---------- schedules, runs, lock, heartbeat (control table) ----------

  async getSchedule(scheduleId: string): Promise<ScheduleItem | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tables.control, Key: scheduleKey(scheduleId), ConsistentRead: true }),
    );
    return Item as ScheduleItem | undefined;
  }

  /** Creates the run item unless it exists; a redelivered invocation gets the existing one. */
  async openRun(run: StoredRun): Promise<{ created: boolean; run: StoredRun }> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tables.control,
          Item: run,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true, run };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const existing = await this.getRun(run);
    if (!existing) throw new Error(`Run ${run.runId} vanished while opening it`);
    return { created: false, run: existing };
  }

  async getRun(key: Pick<RunItem, 'pk' | 'sk'>): Promise<StoredRun | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tables.control, Key: runKeyOf(key), ConsistentRead: true }),
    );
    return Item as StoredRun | undefined;
  }

  /** Takes the run lock when it is free, its lease has lapsed, or this attempt holds it already. */
  async acquireLock(lock: Omit<LockItem, 'pk' | 'sk'>, nowMs: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tables.control,
          Item: { ...RUN_LOCK_KEY, ...lock },
          ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now OR attemptId = :attempt',
          ExpressionAttributeValues: { ':now': nowMs, ':attempt': lock.attemptId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async readLock(): Promise<LockItem | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tables.control, Key: RUN_LOCK_KEY, ConsistentRead: true }),
    );
    return Item as LockItem | undefined;
  }

  /** Extends the lease; false when this attempt no longer holds the lock. */
  async renewLock(attemptId: string, leaseUntil: number): Promise<boolean> {
    return this.conditionalUpdate({
      TableName: this.tables.control,
      Key: RUN_LOCK_KEY,
      UpdateExpression: 'SET leaseUntil = :lease, expiresAt = :expires',
      ConditionExpression: 'attemptId = :attempt',
      ExpressionAttributeValues: {
        ':lease': leaseUntil,
        ':expires': Math.ceil(leaseUntil / 1000) + 86_400,
        ':attempt': attemptId,
      },
    });
  }

  async releaseLock(attemptId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tables.control,
          Key: RUN_LOCK_KEY,
          ConditionExpression: 'attemptId = :attempt',
          ExpressionAttributeValues: { ':attempt': attemptId },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  /** This attempt takes the run over (it holds the lock); a finished run is never restarted. */
  async startAttempt(run: StoredRun, attemptId: string): Promise<StoredRun | undefined> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.control,
          Key: runKeyOf(run),
          UpdateExpression: 'SET attemptId = :attempt, #state = :running REMOVE #error ADD attempts :one',
          ConditionExpression: '#state = :running OR #state = :failed',
          ExpressionAttributeNames: { '#state': 'state', '#error': 'error' },
          ExpressionAttributeValues: {
            ':attempt': attemptId,
            ':running': 'running',
            ':failed': 'failed',
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes as StoredRun;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  /** Records a run that did not start (another run holds the lock, or its schedule is gone). */
  async markSkipped(run: StoredRun, reason: string, endedAt: string): Promise<boolean> {
    return this.conditionalUpdate({
      TableName: this.tables.control,
      Key: runKeyOf(run),
      UpdateExpression: 'SET #state = :skipped, skippedReason = :reason, endedAt = :endedAt',
      ConditionExpression: '#state = :running AND attribute_not_exists(attemptId)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':skipped': 'skipped',
        ':running': 'running',
        ':reason': reason,
        ':endedAt': endedAt,
      },
    });
  }

  /**
   * The checkpoint: one conditional write on the run item (only the attempt holding the run may write),
   * completing the previous window (assigned count, uploads touched) and recording what comes next.
   */
  async checkpoint(
    run: StoredRun,
    attemptId: string,
    update: {
      completed?: { assigned: number; uploads: string[] };
      pending?: PendingWindow | null;
      phase?: RunPhase;
      exhausting?: string[];
      stats?: RunStats;
    },
  ): Promise<void> {
    const sets: string[] = [];
    const adds: string[] = [];
    const removes: string[] = [];
    const values: Record<string, unknown> = { ':attempt': attemptId };
    if (update.completed) {
      adds.push('leadsAssigned :assigned', 'windowsDone :one');
      values[':assigned'] = update.completed.assigned;
      values[':one'] = 1;
      if (update.completed.uploads.length > 0) {
        adds.push('uploadsTouched :uploads');
        values[':uploads'] = new Set(update.completed.uploads);
      }
    }
    if (update.pending) {
      sets.push('pending = :pending');
      values[':pending'] = update.pending;
    } else if (update.pending === null) removes.push('pending');
    for (const field of ['phase', 'exhausting', 'stats'] as const) {
      if (update[field] === undefined) continue;
      sets.push(`${field} = :${field}`);
      values[`:${field}`] = update[field];
    }
    const expression = [
      sets.length ? `SET ${sets.join(', ')}` : '',
      adds.length ? `ADD ${adds.join(', ')}` : '',
      removes.length ? `REMOVE ${removes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const written = await this.conditionalUpdate({
      TableName: this.tables.control,
      Key: runKeyOf(run),
      UpdateExpression: expression,
      ConditionExpression: 'attemptId = :attempt',
      ExpressionAttributeValues: values,
    });
    if (!written) throw new LostRunError(run.runId);
  }

  async finishRun(
    run: StoredRun,
    attemptId: string,
    summary: Pick<
      RunItem,
      'endedAt' | 'membersServed' | 'membersShort' | 'membersNotified' | 'uploadsExhausted'
    >,
  ): Promise<void> {
    const written = await this.conditionalUpdate({
      TableName: this.tables.control,
      Key: runKeyOf(run),
      UpdateExpression:
        'SET #state = :succeeded, endedAt = :endedAt, membersServed = :served, membersShort = :short, membersNotified = :notified, uploadsExhausted = :exhausted REMOVE pending, exhausting',
      ConditionExpression: 'attemptId = :attempt',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':succeeded': 'succeeded',
        ':endedAt': summary.endedAt,
        ':served': summary.membersServed ?? 0,
        ':short': summary.membersShort ?? 0,
        ':notified': summary.membersNotified ?? 0,
        ':exhausted': summary.uploadsExhausted ?? [],
        ':attempt': attemptId,
      },
    });
    if (!written) throw new LostRunError(run.runId);
  }

  /** Records the failure of this attempt; the checkpoint stays, so a retry resumes. */
  async failRun(run: StoredRun, attemptId: string, error: string, endedAt: string): Promise<void> {
    await this.conditionalUpdate({
      TableName: this.tables.control,
      Key: runKeyOf(run),
      UpdateExpression: 'SET #state = :failed, #error = :error, endedAt = :endedAt',
      ConditionExpression: 'attemptId = :attempt AND #state = :running',
      ExpressionAttributeNames: { '#state': 'state', '#error': 'error' },
      ExpressionAttributeValues: {
        ':failed': 'failed',
        ':running': 'running',
        ':error': error,
        ':endedAt': endedAt,
        ':attempt': attemptId,
      },
    });
  }

  /**
   * Records the latest run's outcome. An update, not a put: `lastSuccessAt` must survive a later failure,
   * or the health check could not say when the scheduler last worked. Per-run details of the previous run
   * that this one does not set are removed.
   */
  async putHeartbeat(heartbeat: Record<string, unknown>): Promise<void> {
    const set = Object.keys(heartbeat);
    const stale = HEARTBEAT_RUN_DETAILS.filter((name) => !set.includes(name));
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tables.control,
        Key: HEARTBEAT_KEY,
        UpdateExpression: [
          `SET ${set.map((_, index) => `#s${index} = :s${index}`).join(', ')}`,
          ...(stale.length > 0 ? [`REMOVE ${stale.map((_, index) => `#r${index}`).join(', ')}`] : []),
        ].join(' '),
        ExpressionAttributeNames: Object.fromEntries([
          ...set.map((name, index) => [`#s${index}`, name]),
          ...stale.map((name, index) => [`#r${index}`, name]),
        ]),
        ExpressionAttributeValues: Object.fromEntries(
          set.map((name, index) => [`:s${index}`, heartbeat[name]]),
        ),
      }),
    );
  }

  async globalCounters(): Promise<Record<string, unknown>> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tables.control, Key: GLOBAL_COUNTERS_KEY }),
    );
    return Item ?? {};
  }

  // ---------- members and week tallies (members table) ----------

  /** Every member the sparse `eligible` index holds. */
  async eligibleMembers(): Promise<MemberItem[]> {
    return queryAll<MemberItem>(this.doc, {
      TableName: this.tables.members,
      IndexName: 'eligible',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': ELIGIBLE_INDEX_PK },
    });
  }

  async weekTallies(memberIds: readonly string[], weekKey: string): Promise<Map<string, MemberWeekItem>> {
    const items = await batchGetAll<MemberWeekItem>(
      this.doc,
      this.tables.members,
      memberIds.map((memberId) => memberWeekKey(memberId, weekKey)),
      this.sleep,
    );
    return new Map(items.map((item) => [item.memberId, item]));
  }

  /** Assignment items and week tallies of a window, 25 to a BatchWriteItem (same table). */
  async putAssignmentsAndTallies(
    assignments: readonly AssignmentItem[],
    tallies: readonly MemberWeekItem[],
  ): Promise<void> {
    await batchPutAll(
      this.doc,
      this.tables.members,
      [...assignments, ...tallies] as unknown as Record<string, unknown>[],
      this.sleep,
    );
  }

  // ---------- supply (uploads table) ----------

  /** Queued uploads, oldest first (GSI byState: gsi1sk = createdAt#uploadId). */
  async queuedUploads(): Promise<UploadItem[]> {
    return queryAll<UploadItem>(this.doc, {
      TableName: this.tables.uploads,
      IndexName: 'byState',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': uploadStateIndexKeys('queued', '', '').gsi1pk },
      ScanIndexForward: true,
    });
  }

  /**
   * An upload's leads that can still be handed out (deliverable, below the assignment limit), and those
   * this run claimed already (so a resumed run can plan from where the run began), in file order, a page
   * at a time: the planner stops reading once everyone is served.
   */
  async *assignableLeads(
    uploadId: string,
    maxAssignmentsPerLead: number,
    runId: string | undefined,
  ): AsyncGenerator<LeadItem & Record<string, unknown>> {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.uploads,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :leads)',
          FilterExpression: `#status = :deliverable AND (attribute_not_exists(assignedCount) OR assignedCount < :max${runId ? ' OR attribute_exists(#claims)' : ''})`,
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(runId ? { '#claims': runClaimsAttribute(runId) } : {}),
          },
          ExpressionAttributeValues: {
            ':pk': uploadKey(uploadId).pk,
            ':leads': LEAD_SK_PREFIX,
            ':deliverable': 'deliverable',
            ':max': maxAssignmentsPerLead,
          },
          ExclusiveStartKey: cursor,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) yield item as LeadItem & Record<string, unknown>;
      cursor = page.LastEvaluatedKey;
    } while (cursor);
  }

  async leadsByKey(entries: readonly { uploadId: string; row: number }[]): Promise<LeadItem[]> {
    return batchGetAll<LeadItem>(
      this.doc,
      this.tables.uploads,
      entries.map((entry) => leadKey(entry.uploadId, entry.row)),
      this.sleep,
    );
  }

  /**
   * Hands a lead to a member: ONE conditional write on the lead, which stays the only record that can
   * refuse it (not deliverable, at its limit, or already the member's). It also notes the member under
   * this run, so a resumed run knows which holders are its own.
   */
  async claimLead(entry: WindowEntry, runId: string, maxAssignmentsPerLead: number): Promise<boolean> {
    return this.conditionalUpdate({
      TableName: this.tables.uploads,
      Key: leadKey(entry.uploadId, entry.row),
      UpdateExpression: 'ADD assignedCount :one, assignedTo :member, #claims :member',
      ConditionExpression:
        '#status = :deliverable AND (attribute_not_exists(assignedCount) OR assignedCount < :max) AND (attribute_not_exists(assignedTo) OR NOT contains(assignedTo, :memberId))',
      ExpressionAttributeNames: { '#status': 'status', '#claims': runClaimsAttribute(runId) },
      ExpressionAttributeValues: {
        ':one': 1,
        ':member': new Set([entry.memberId]),
        ':memberId': entry.memberId,
        ':deliverable': 'deliverable',
        ':max': maxAssignmentsPerLead,
      },
    });
  }

  /** ADDs a window's counts to the global, week and upload counters, once per marker each. */
  async addWindowCounters(
    marker: string,
    weekKey: string,
    assigned: number,
    perUpload: ReadonlyMap<string, number>,
  ): Promise<void> {
    if (assigned === 0) return;
    await Promise.all([
      addCountersOnce(this.doc, this.tables.control, GLOBAL_COUNTERS_KEY, marker, {
        leadsAssigned: assigned,
        leadsAvailable: -assigned,
      }),
      addCountersOnce(this.doc, this.tables.control, weekCountersKey(weekKey), marker, {
        leadsAssigned: assigned,
      }),
      ...[...perUpload].map(([uploadId, count]) =>
        addCountersOnce(this.doc, this.tables.uploads, uploadKey(uploadId), marker, { assigned: count }),
      ),
    ]);
  }

  /**
   * Moves a queued upload to `exhausted` (out of the queued index) and takes it off the queued count once.
   * Safe to repeat: an upload this run exhausted earlier only gets its (idempotent) counter step again.
   */
  async exhaustUpload(
    upload: Pick<UploadItem, 'uploadId' | 'createdAt'>,
    runId: string,
    now: string,
  ): Promise<void> {
    const moved = await this.conditionalUpdate({
      TableName: this.tables.uploads,
      Key: uploadKey(upload.uploadId),
      UpdateExpression:
        'SET #state = :exhausted, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, updatedAt = :now, exhaustedByRun = :run',
      ConditionExpression: '#state = :queued',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ...Object.fromEntries(
          Object.entries(uploadStateIndexKeys('exhausted', upload.createdAt, upload.uploadId)).map(
            ([name, value]) => [`:${name}`, value],
          ),
        ),
        ':exhausted': 'exhausted',
        ':queued': 'queued',
        ':now': now,
        ':run': runId,
      },
    });
    if (!moved) {
      const { Item } = await this.doc.send(
        new GetCommand({
          TableName: this.tables.uploads,
          Key: uploadKey(upload.uploadId),
          ConsistentRead: true,
        }),
      );
      if ((Item as { exhaustedByRun?: string } | undefined)?.exhaustedByRun !== runId) return;
    }
    await addCountersOnce(
      this.doc,
      this.tables.control,
      GLOBAL_COUNTERS_KEY,
      exhaustMarker(upload.uploadId),
      {
        queuedUploads: -1,
      },
    );
  }

  /** Takes a run's markers out of the counter items' in-flight sets (one write per item). */
  async releaseMarkers(
    table: 'control' | 'uploads',
    key: Record<string, string>,
    markers: readonly string[],
  ) {
    if (markers.length === 0) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tables[table],
        Key: key,
        UpdateExpression: 'DELETE #inflight :markers',
        ExpressionAttributeNames: { '#inflight': 'inflight' },
        ExpressionAttributeValues: { ':markers': new Set(markers) },
      }),
    );
  }

  // ---------- notification claims (control table) ----------

  async notificationChunks(runId: string): Promise<NotificationChunk[]> {
    return queryAll<NotificationChunk>(this.doc, {
      TableName: this.tables.control,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': notificationKey(runId, 0).pk },
      ConsistentRead: true,
    });
  }

  /** Claims chunk `index` of a run's notifications for these members; false when it is taken. */
  async claimNotificationChunk(
    runId: string,
    index: number,
    memberIds: readonly string[],
    expiresAt: number,
  ) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tables.control,
          Item: { ...notificationKey(runId, index), index, memberIds, state: 'claimed', expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** Records how a claimed chunk went. The claim itself is never removed, whatever happened. */
  async recordNotificationChunk(runId: string, index: number, failed: readonly string[]): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tables.control,
        Key: notificationKey(runId, index),
        UpdateExpression: 'SET #state = :sent, failed = :failed',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sent': 'sent', ':failed': failed },
      }),
    );
  }

  // ---------- helpers ----------

  private async conditionalUpdate(input: UpdateCommandInput): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

/** This attempt no longer owns the run (its lease lapsed and another attempt took over). */
export class LostRunError extends Error {
  constructor(runId: string) {
    super(`Run ${runId} is now driven by another attempt`);
    this.name = 'LostRunError';
  }
}
