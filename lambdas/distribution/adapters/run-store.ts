import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  conditionalUpdate,
  type DocumentClient,
  isConditionalCheckFailed,
  queryAll,
} from '../../shared/dynamo';
import { HEARTBEAT_KEY, RUN_PK, type RunItem } from '../../shared/model';
import { type CheckpointUpdate, LostRunError, type StoredRun } from '../domain/run';
import type { RunStore } from '../ports';
import { FENCE_CONDITION } from './fence';

const runKeyOf = (run: Pick<RunItem, 'pk' | 'sk'>) => ({ pk: run.pk, sk: run.sk });

/** Heartbeat attributes that describe one run, dropped when the next run does not set them. */
const HEARTBEAT_RUN_DETAILS = ['error', 'skippedReason', 'leadsAssigned', 'membersServed'];

/** A page of runs, newest first (run sort keys start with the run's time), from an opaque cursor. */
export const newestRuns = async (
  doc: DocumentClient,
  controlTable: string,
  page: { limit: number; cursor?: Record<string, unknown> },
): Promise<{ runs: RunItem[]; nextKey?: Record<string, unknown> }> => {
  const { Items, LastEvaluatedKey } = await doc.send(
    new QueryCommand({
      TableName: controlTable,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': RUN_PK },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: page.cursor,
    }),
  );
  return { runs: (Items ?? []) as RunItem[], nextKey: LastEvaluatedKey };
};

/**
 * Runs that started at or after `since`, newest first, with one attribute equal to a value: run sort keys
 * start with the run's time, so this is a key range with one filter.
 */
export const runsSince = (
  doc: DocumentClient,
  controlTable: string,
  since: Date,
  filter: { attribute: 'state' | 'scheduleId'; value: string },
): Promise<RunItem[]> =>
  queryAll<RunItem>(doc, {
    TableName: controlTable,
    KeyConditionExpression: 'pk = :pk AND sk >= :since',
    FilterExpression: '#attribute = :value',
    ExpressionAttributeNames: { '#attribute': filter.attribute },
    ExpressionAttributeValues: { ':pk': RUN_PK, ':since': since.toISOString(), ':value': filter.value },
    ScanIndexForward: false,
  });

/** One run by its id: run keys start with the run's time, which the id does not give, so the byRunId index finds it. */
export const readRunById = async (
  doc: DocumentClient,
  controlTable: string,
  runId: string,
): Promise<RunItem | undefined> => {
  const { Items } = await doc.send(
    new QueryCommand({
      TableName: controlTable,
      IndexName: 'byRunId',
      KeyConditionExpression: 'runId = :id AND pk = :pk',
      ExpressionAttributeValues: { ':id': runId, ':pk': RUN_PK },
      Limit: 1,
    }),
  );
  return Items?.[0] as RunItem | undefined;
};

/** The latest run's outcome as the heartbeat item keeps it, or undefined before the first run. */
export const readHeartbeat = async (
  doc: DocumentClient,
  controlTable: string,
): Promise<Record<string, unknown> | undefined> =>
  (await doc.send(new GetCommand({ TableName: controlTable, Key: HEARTBEAT_KEY }))).Item;

/** Run items and the heartbeat in the control table; every change of a run is a conditional write. */
export class DynamoRunStore implements RunStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly controlTable: string,
  ) {}

  /** Creates the run item unless it exists; a redelivered invocation gets the existing one. */
  async openRun(run: StoredRun): Promise<{ created: boolean; run: StoredRun }> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.controlTable,
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
      new GetCommand({ TableName: this.controlTable, Key: runKeyOf(key), ConsistentRead: true }),
    );
    return Item as StoredRun | undefined;
  }

  /**
   * This attempt takes the run over (it holds the lock, generation `fence`); a finished run is never
   * restarted, and an attempt holding an older generation than the run has seen never takes it.
   */
  async startAttempt(run: StoredRun, attemptId: string, fence: number): Promise<StoredRun | undefined> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.controlTable,
          Key: runKeyOf(run),
          UpdateExpression:
            'SET attemptId = :attempt, fence = :fence, #state = :running REMOVE #error ADD attempts :one',
          ConditionExpression:
            '(#state = :running OR #state = :failed) AND (attribute_not_exists(fence) OR fence < :fence)',
          ExpressionAttributeNames: { '#state': 'state', '#error': 'error' },
          ExpressionAttributeValues: {
            ':attempt': attemptId,
            ':fence': fence,
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
    return conditionalUpdate(this.doc, {
      TableName: this.controlTable,
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
   * The checkpoint: one conditional write on the run item (only the attempt holding the run's newest lock
   * generation may write), completing the previous window (assigned count, uploads touched) and recording
   * what comes next.
   */
  async checkpoint(run: StoredRun, fence: number, update: CheckpointUpdate): Promise<void> {
    const sets: string[] = [];
    const adds: string[] = [];
    const removes: string[] = [];
    const values: Record<string, unknown> = { ':fence': fence };
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
    const written = await conditionalUpdate(this.doc, {
      TableName: this.controlTable,
      Key: runKeyOf(run),
      UpdateExpression: expression,
      ConditionExpression: 'fence = :fence',
      ExpressionAttributeValues: values,
    });
    if (!written) throw new LostRunError(run.runId);
  }

  /** Records the run as succeeded; only the attempt holding the run's newest lock generation may. */
  async finishRun(
    run: StoredRun,
    fence: number,
    summary: Pick<
      RunItem,
      | 'endedAt'
      | 'membersServed'
      | 'membersShort'
      | 'membersNotified'
      | 'notifiedUnknown'
      | 'membersNotMailed'
      | 'uploadsExhausted'
    >,
  ): Promise<void> {
    const written = await conditionalUpdate(this.doc, {
      TableName: this.controlTable,
      Key: runKeyOf(run),
      UpdateExpression:
        'SET #state = :succeeded, endedAt = :endedAt, membersServed = :served, membersShort = :short, membersNotified = :notified, notifiedUnknown = :unknown, membersNotMailed = :notMailed, uploadsExhausted = :exhausted REMOVE pending, exhausting',
      ConditionExpression: 'fence = :fence',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':succeeded': 'succeeded',
        ':endedAt': summary.endedAt,
        ':served': summary.membersServed ?? 0,
        ':short': summary.membersShort ?? 0,
        ':notified': summary.membersNotified ?? 0,
        ':unknown': summary.notifiedUnknown ?? 0,
        ':notMailed': summary.membersNotMailed ?? 0,
        ':exhausted': summary.uploadsExhausted ?? [],
        ':fence': fence,
      },
    });
    if (!written) throw new LostRunError(run.runId);
  }

  /** Records the failure of the attempt holding the run's newest lock generation; the checkpoint stays. */
  async failRun(run: StoredRun, fence: number, error: string, endedAt: string): Promise<void> {
    await conditionalUpdate(this.doc, {
      TableName: this.controlTable,
      Key: runKeyOf(run),
      UpdateExpression: 'SET #state = :failed, #error = :error, endedAt = :endedAt',
      ConditionExpression: 'fence = :fence AND #state = :running',
      ExpressionAttributeNames: { '#state': 'state', '#error': 'error' },
      ExpressionAttributeValues: {
        ':failed': 'failed',
        ':running': 'running',
        ':error': error,
        ':endedAt': endedAt,
        ':fence': fence,
      },
    });
  }

  /**
   * Records the latest run's outcome. An update, not a put: `lastSuccessAt` must survive a later failure,
   * or the health check could not say when the scheduler last worked. Per-run details of the previous run
   * that this one does not set are removed. A run holding the lock passes its generation: the heartbeat
   * then takes it as its fence and refuses (false) a run holding an older one. A run that never held the
   * lock (skipped) writes without a fence.
   */
  async putHeartbeat(heartbeat: Record<string, unknown>, fence?: number): Promise<boolean> {
    const set = Object.keys(heartbeat);
    const stale = HEARTBEAT_RUN_DETAILS.filter((name) => !set.includes(name));
    const fenced = fence !== undefined;
    return conditionalUpdate(this.doc, {
      TableName: this.controlTable,
      Key: HEARTBEAT_KEY,
      UpdateExpression: [
        `SET ${[...set.map((_, index) => `#s${index} = :s${index}`), ...(fenced ? ['fence = :fence'] : [])].join(', ')}`,
        ...(stale.length > 0 ? [`REMOVE ${stale.map((_, index) => `#r${index}`).join(', ')}`] : []),
      ].join(' '),
      ...(fenced ? { ConditionExpression: FENCE_CONDITION } : {}),
      ExpressionAttributeNames: Object.fromEntries([
        ...set.map((name, index) => [`#s${index}`, name]),
        ...stale.map((name, index) => [`#r${index}`, name]),
      ]),
      ExpressionAttributeValues: Object.fromEntries([
        ...set.map((name, index) => [`:s${index}`, heartbeat[name]]),
        ...(fenced ? [[':fence', fence]] : []),
      ]),
    });
  }
}
