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

  /** This attempt takes the run over (it holds the lock); a finished run is never restarted. */
  async startAttempt(run: StoredRun, attemptId: string): Promise<StoredRun | undefined> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.controlTable,
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
   * The checkpoint: one conditional write on the run item (only the attempt holding the run may write),
   * completing the previous window (assigned count, uploads touched) and recording what comes next.
   */
  async checkpoint(run: StoredRun, attemptId: string, update: CheckpointUpdate): Promise<void> {
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
    const written = await conditionalUpdate(this.doc, {
      TableName: this.controlTable,
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
      | 'endedAt'
      | 'membersServed'
      | 'membersShort'
      | 'membersNotified'
      | 'notifiedUnknown'
      | 'uploadsExhausted'
    >,
  ): Promise<void> {
    const written = await conditionalUpdate(this.doc, {
      TableName: this.controlTable,
      Key: runKeyOf(run),
      UpdateExpression:
        'SET #state = :succeeded, endedAt = :endedAt, membersServed = :served, membersShort = :short, membersNotified = :notified, notifiedUnknown = :unknown, uploadsExhausted = :exhausted REMOVE pending, exhausting',
      ConditionExpression: 'attemptId = :attempt',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':succeeded': 'succeeded',
        ':endedAt': summary.endedAt,
        ':served': summary.membersServed ?? 0,
        ':short': summary.membersShort ?? 0,
        ':notified': summary.membersNotified ?? 0,
        ':unknown': summary.notifiedUnknown ?? 0,
        ':exhausted': summary.uploadsExhausted ?? [],
        ':attempt': attemptId,
      },
    });
    if (!written) throw new LostRunError(run.runId);
  }

  /** Records the failure of this attempt; the checkpoint stays, so a retry resumes. */
  async failRun(run: StoredRun, attemptId: string, error: string, endedAt: string): Promise<void> {
    await conditionalUpdate(this.doc, {
      TableName: this.controlTable,
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
        TableName: this.controlTable,
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
}
