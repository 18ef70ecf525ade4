import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../../distribution/dynamo-errors';
import type { DocumentClient } from '../../distribution/ports';
import { queryAll } from '../../shared/dynamo';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { SCHEDULE_PK, type ScheduleItem, scheduleKey } from '../../shared/model';
import { dstNotices, nextRunTimes, type ScheduleSpec, toSchedulerExpression } from '../domain/schedule';
import { civilDateTimeAt, offsetMsAt } from '../domain/zoned-time';

/**
 * Distribution schedules, stored in the control table and mirrored to EventBridge Scheduler.
 *
 * The table and Scheduler cannot be written atomically, so every change is written in an order that a
 * later read can finish: (1) the item is written with `sync: pending` and what is owed (`pendingOp`);
 * (2) Scheduler is called (create-or-update, or delete; each call idempotent); (3) the item is marked
 * `synced` (or, for a delete, removed). If (2) fails the item stays pending with the error, and the next
 * GET (or change) of that schedule repeats (2) and (3). The distribution function also skips a run whose
 * schedule item is missing, pending deletion or disabled, so a Scheduler that lags never runs a dead schedule.
 */

/** Scheduler's retry of a failed target invocation: bounded attempts and event age (RELIABILITY 10, 13). */
export const SCHEDULE_RETRY_ATTEMPTS = 20;
export const SCHEDULE_MAX_EVENT_AGE_SECONDS = 6 * 3600;

export interface SchedulerTarget {
  readonly groupName: string;
  readonly functionArn: string;
  readonly roleArn: string;
  readonly deadLetterArn: string;
}

/** The placeholders Scheduler fills in per invocation; schedule ARN + scheduled time key the run. */
const CONTEXT = {
  scheduleArn: '<aws.scheduler.schedule-arn>',
  scheduledTime: '<aws.scheduler.scheduled-time>',
  executionId: '<aws.scheduler.execution-id>',
  attemptNumber: '<aws.scheduler.attempt-number>',
} as const;

const targetOf = (target: SchedulerTarget, input: Record<string, string>) => ({
  Arn: target.functionArn,
  RoleArn: target.roleArn,
  Input: JSON.stringify(input),
  RetryPolicy: {
    MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS,
    MaximumEventAgeInSeconds: SCHEDULE_MAX_EVENT_AGE_SECONDS,
  },
  DeadLetterConfig: { Arn: target.deadLetterArn },
});

/**
 * The Scheduler schedule for a stored one: named by its id, cron in its own zone, no flexible window (a
 * run belongs at the time the admin chose), the distribution function as target with the schedule id and
 * Scheduler's context attributes as input, an explicit retry policy and a dead-letter queue.
 */
export const scheduleCommandInput = (
  scheduleId: string,
  spec: ScheduleSpec,
  target: SchedulerTarget,
): Omit<CreateScheduleCommandInput, 'ClientToken'> => ({
  Name: scheduleId,
  GroupName: target.groupName,
  Description: `Proleads distribution: ${spec.name}`,
  ScheduleExpression: toSchedulerExpression(spec),
  ScheduleExpressionTimezone: spec.timeZone,
  State: spec.enabled ? 'ENABLED' : 'DISABLED',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'NONE',
  Target: targetOf(target, {
    trigger: 'schedule',
    scheduleId,
    scheduleArn: CONTEXT.scheduleArn,
    scheduledTime: CONTEXT.scheduledTime,
    executionId: CONTEXT.executionId,
    attemptNumber: CONTEXT.attemptNumber,
  }),
});

/** `at(...)` wants a local date-time without zone or fraction. */
const atExpression = (at: Date) => `at(${at.toISOString().slice(0, 19)})`;

/**
 * A run-now request as a one-time schedule: the same target, retry policy and dead-letter queue as the
 * recurring ones, deleted by Scheduler once it has fired. The run id travels in the input, so a retried
 * invocation joins the same run.
 */
export const oneTimeRunCommandInput = (
  run: { runId: string; requestedAt: string; requestedBy: string; timeZone: string },
  at: Date,
  target: SchedulerTarget,
): CreateScheduleCommandInput => ({
  Name: `run-${run.runId}`,
  GroupName: target.groupName,
  Description: 'Proleads distribution: run now',
  ScheduleExpression: atExpression(at),
  ScheduleExpressionTimezone: 'UTC',
  State: 'ENABLED',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  ClientToken: run.runId,
  Target: targetOf(target, {
    trigger: 'manual',
    runId: run.runId,
    requestedAt: run.requestedAt,
    requestedBy: run.requestedBy,
    timeZone: run.timeZone,
    executionId: CONTEXT.executionId,
    attemptNumber: CONTEXT.attemptNumber,
  }),
});

/** Every schedule as stored, repairing nothing: for readers (overview, health) that must not write. */
export const readAllSchedules = (doc: DocumentClient, controlTable: string): Promise<ScheduleItem[]> =>
  queryAll<ScheduleItem>(doc, {
    TableName: controlTable,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': SCHEDULE_PK },
  });

export const specOf = (item: ScheduleItem): ScheduleSpec =>
  item.kind === 'weekly'
    ? {
        kind: 'weekly',
        name: item.name,
        dayOfWeek: item.dayOfWeek as Extract<ScheduleSpec, { kind: 'weekly' }>['dayOfWeek'],
        time: item.time,
        timeZone: item.timeZone,
        enabled: item.enabled,
      }
    : {
        kind: 'monthly',
        name: item.name,
        dayOfMonth: item.dayOfMonth ?? 1,
        time: item.time,
        timeZone: item.timeZone,
        enabled: item.enabled,
      };

/** '2026-03-29T03:30:00+02:00': the instant as the schedule's zone shows it. */
export const localIso = (instant: Date, timeZone: string): string => {
  const civil = civilDateTimeAt(instant, timeZone);
  const offsetMinutes = Math.round(offsetMsAt(instant.getTime(), timeZone) / 60_000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return `${pad(civil.year, 4)}-${pad(civil.month)}-${pad(civil.day)}T${pad(civil.hour)}:${pad(civil.minute)}:${pad(civil.second)}${offset}`;
};

export interface ScheduleView {
  id: string;
  name: string;
  kind: 'weekly' | 'monthly';
  dayOfWeek?: string;
  dayOfMonth?: number;
  time: string;
  timeZone: string;
  enabled: boolean;
  expression: string;
  sync: ScheduleItem['sync'];
  syncError?: string;
  nextRuns: { at: string; local: string }[];
  dstNotices: { date: string; kind: string }[];
  createdAt: string;
  updatedAt: string;
}

export const toScheduleView = (item: ScheduleItem, now: Date): ScheduleView => {
  const spec = specOf(item);
  return {
    id: item.scheduleId,
    name: item.name,
    kind: item.kind,
    ...(item.kind === 'weekly' ? { dayOfWeek: item.dayOfWeek } : { dayOfMonth: item.dayOfMonth }),
    time: item.time,
    timeZone: item.timeZone,
    enabled: item.enabled,
    expression: toSchedulerExpression(spec),
    sync: item.sync,
    ...(item.syncError ? { syncError: item.syncError } : {}),
    nextRuns: nextRunTimes(spec, now, 3).map((at) => ({
      at: at.toISOString(),
      local: localIso(at, item.timeZone),
    })),
    dstNotices: dstNotices(spec, now),
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
};

export interface ScheduleStoreDeps {
  readonly doc: DocumentClient;
  readonly controlTable: string;
  readonly scheduler: Pick<SchedulerClient, 'send'>;
  readonly target: SchedulerTarget;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** The result of a change: the item as stored now; `syncError` says Scheduler still owes the change. */
export interface ScheduleResult {
  item: ScheduleItem;
  deleted: boolean;
}

const schedulerErrorMessage = (error: unknown) =>
  `${(error as Error).name ?? 'Error'}: ${(error as Error).message ?? String(error)}`.slice(0, 500);

export class ScheduleStore {
  constructor(private readonly deps: ScheduleStoreDeps) {}

  /** Saves a new schedule (pending), then mirrors it to Scheduler. */
  async create(spec: ScheduleSpec): Promise<ScheduleResult> {
    const now = this.deps.now().toISOString();
    const scheduleId = this.deps.newId();
    const item: ScheduleItem = {
      ...scheduleKey(scheduleId),
      pk: SCHEDULE_PK,
      scheduleId,
      ...this.specFields(spec),
      version: 1,
      sync: 'pending',
      pendingOp: 'upsert',
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.doc.send(
      new PutCommand({
        TableName: this.deps.controlTable,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return this.sync(item);
  }

  /** Replaces a schedule's settings (pending, version + 1), then mirrors them. */
  async replace(scheduleId: string, spec: ScheduleSpec): Promise<ScheduleResult> {
    const current = await this.require(scheduleId);
    const item: ScheduleItem = {
      ...current,
      ...this.specFields(spec),
      version: current.version + 1,
      sync: 'pending',
      pendingOp: 'upsert',
      updatedAt: this.deps.now().toISOString(),
    };
    if (spec.kind === 'weekly') delete item.dayOfMonth;
    else delete item.dayOfWeek;
    delete item.syncError;
    await this.putIfVersion(item, current.version);
    return this.sync(item);
  }

  /** Marks a schedule for deletion, deletes it in Scheduler, then removes the item. */
  async remove(scheduleId: string): Promise<ScheduleResult> {
    const current = await this.require(scheduleId);
    const item: ScheduleItem = {
      ...current,
      version: current.version + 1,
      sync: 'pending',
      pendingOp: 'delete',
      updatedAt: this.deps.now().toISOString(),
    };
    await this.putIfVersion(item, current.version);
    return this.sync(item);
  }

  /** One schedule, repairing it first if Scheduler still owes a change. 404 once deleted. */
  async get(scheduleId: string): Promise<ScheduleItem> {
    const item = await this.read(scheduleId);
    if (!item) throw new NotFoundError(`No schedule ${scheduleId}`);
    const result = item.sync === 'pending' ? await this.sync(item) : { item, deleted: false };
    if (result.deleted) throw new NotFoundError(`No schedule ${scheduleId}`);
    return result.item;
  }

  /** A page of schedules; one whose Scheduler change is still pending is finished (or gone) as it is read. */
  async list(options: { limit: number; cursor?: Record<string, unknown> }) {
    const page = await this.deps.doc.send(
      new QueryCommand({
        TableName: this.deps.controlTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': SCHEDULE_PK },
        Limit: options.limit,
        ExclusiveStartKey: options.cursor,
        ConsistentRead: true,
      }),
    );
    const items: ScheduleItem[] = [];
    for (const item of (page.Items ?? []) as ScheduleItem[]) {
      const result = item.sync === 'pending' ? await this.sync(item) : { item, deleted: false };
      if (!result.deleted) items.push(result.item);
    }
    return { items, next: page.LastEvaluatedKey };
  }

  async read(scheduleId: string): Promise<ScheduleItem | undefined> {
    const { Item } = await this.deps.doc.send(
      new GetCommand({
        TableName: this.deps.controlTable,
        Key: scheduleKey(scheduleId),
        ConsistentRead: true,
      }),
    );
    return Item as ScheduleItem | undefined;
  }

  /** Steps (2) and (3): make Scheduler hold this version, then record that it does. Scheduler errors are recorded, not thrown. */
  async sync(item: ScheduleItem): Promise<ScheduleResult> {
    const clientToken = `${item.scheduleId}-v${item.version}`;
    try {
      if (item.pendingOp === 'delete') await this.deleteInScheduler(item.scheduleId, clientToken);
      else await this.upsertInScheduler(item, clientToken);
    } catch (error) {
      // Whatever Scheduler answered (throttled, refused, unreachable), the item stays pending and says why.
      const syncError = schedulerErrorMessage(error);
      await this.updateIfVersion(item, 'SET syncError = :error', { ':error': syncError });
      return { item: { ...item, syncError }, deleted: false };
    }
    if (item.pendingOp === 'delete') {
      try {
        await this.deps.doc.send(
          new DeleteCommand({
            TableName: this.deps.controlTable,
            Key: scheduleKey(item.scheduleId),
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': item.version },
          }),
        );
      } catch (error) {
        // Already gone, or taken over by a concurrent repair of the same delete: deleted either way.
        if (!isConditionalCheckFailed(error)) throw error;
      }
      return { item, deleted: true };
    }
    const syncedAt = this.deps.now().toISOString();
    const marked = await this.updateIfVersion(
      item,
      'SET #sync = :synced, syncedAt = :syncedAt REMOVE pendingOp, syncError',
      { ':synced': 'synced', ':syncedAt': syncedAt },
      { '#sync': 'sync' },
    );
    if (!marked) {
      // A newer version arrived meanwhile; its writer syncs it. Show what is stored now.
      const latest = await this.read(item.scheduleId);
      return latest ? { item: latest, deleted: false } : { item, deleted: true };
    }
    const synced: ScheduleItem = { ...item, sync: 'synced', syncedAt };
    delete synced.pendingOp;
    delete synced.syncError;
    return { item: synced, deleted: false };
  }

  private async upsertInScheduler(item: ScheduleItem, clientToken: string): Promise<void> {
    const input = scheduleCommandInput(item.scheduleId, specOf(item), this.deps.target);
    try {
      await this.deps.scheduler.send(new UpdateScheduleCommand({ ...input, ClientToken: clientToken }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException || nameIs(error, 'ResourceNotFoundException')))
        throw error;
      try {
        await this.deps.scheduler.send(new CreateScheduleCommand({ ...input, ClientToken: clientToken }));
      } catch (createError) {
        // Created by a concurrent sync between our two calls: update it to this version after all.
        if (!(createError instanceof ConflictException || nameIs(createError, 'ConflictException')))
          throw createError;
        await this.deps.scheduler.send(new UpdateScheduleCommand({ ...input, ClientToken: clientToken }));
      }
    }
  }

  private async deleteInScheduler(scheduleId: string, clientToken: string): Promise<void> {
    try {
      await this.deps.scheduler.send(
        new DeleteScheduleCommand({
          Name: scheduleId,
          GroupName: this.deps.target.groupName,
          ClientToken: clientToken,
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException || nameIs(error, 'ResourceNotFoundException')))
        throw error;
    }
  }

  private specFields(spec: ScheduleSpec) {
    return {
      name: spec.name,
      kind: spec.kind,
      ...(spec.kind === 'weekly' ? { dayOfWeek: spec.dayOfWeek } : { dayOfMonth: spec.dayOfMonth }),
      time: spec.time,
      timeZone: spec.timeZone,
      enabled: spec.enabled,
    };
  }

  /** The schedule, unless it is missing or on its way out. */
  private async require(scheduleId: string): Promise<ScheduleItem> {
    const item = await this.read(scheduleId);
    if (!item || item.pendingOp === 'delete') throw new NotFoundError(`No schedule ${scheduleId}`);
    return item;
  }

  private async putIfVersion(item: ScheduleItem, expectedVersion: number): Promise<void> {
    try {
      await this.deps.doc.send(
        new PutCommand({
          TableName: this.deps.controlTable,
          Item: item,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': expectedVersion },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error))
        throw new ConflictError(
          `Schedule ${item.scheduleId} was changed by another request; read it and retry`,
        );
      throw error;
    }
  }

  private async updateIfVersion(
    item: ScheduleItem,
    expression: string,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ): Promise<boolean> {
    try {
      await this.deps.doc.send(
        new UpdateCommand({
          TableName: this.deps.controlTable,
          Key: scheduleKey(item.scheduleId),
          UpdateExpression: expression,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { ...names, '#version': 'version' },
          ExpressionAttributeValues: { ...values, ':version': item.version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

const nameIs = (error: unknown, name: string) => error instanceof Error && error.name === name;
