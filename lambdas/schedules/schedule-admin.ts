import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { DocumentClient } from '../shared/dynamo';
import { ConflictError, NotFoundError } from '../shared/errors';
import { SCHEDULE_PK, type ScheduleItem, scheduleKey } from '../shared/model';
import { DynamoScheduleRecords } from './adapters/schedule-store';
import type { SchedulerTarget } from './adapters/scheduler-commands';
import { EventBridgeSchedulerMirror } from './adapters/scheduler-mirror';
import type { ScheduleSpec } from './domain/schedule';
import type { ScheduleRecords, SchedulerMirror } from './ports';

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
  private readonly records: ScheduleRecords;
  private readonly mirror: SchedulerMirror;

  constructor(private readonly deps: ScheduleStoreDeps) {
    this.records = new DynamoScheduleRecords(deps);
    this.mirror = new EventBridgeSchedulerMirror(deps);
  }

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
    await this.records.create(item);
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
    const page = await this.records.page(options);
    const items: ScheduleItem[] = [];
    for (const item of page.items) {
      const result = item.sync === 'pending' ? await this.sync(item) : { item, deleted: false };
      if (!result.deleted) items.push(result.item);
    }
    return { items, next: page.next };
  }

  read(scheduleId: string): Promise<ScheduleItem | undefined> {
    return this.records.read(scheduleId);
  }

  /** Steps (2) and (3): make Scheduler hold this version, then record that it does. Scheduler errors are recorded, not thrown. */
  async sync(item: ScheduleItem): Promise<ScheduleResult> {
    const clientToken = `${item.scheduleId}-v${item.version}`;
    try {
      if (item.pendingOp === 'delete') await this.mirror.remove(item.scheduleId, clientToken);
      else await this.mirror.upsert(item, clientToken);
    } catch (error) {
      // Whatever Scheduler answered (throttled, refused, unreachable), the item stays pending and says why.
      const syncError = schedulerErrorMessage(error);
      await this.records.recordSyncError(item, syncError);
      return { item: { ...item, syncError }, deleted: false };
    }
    if (item.pendingOp === 'delete') {
      await this.records.deleteIfVersion(item);
      return { item, deleted: true };
    }
    const syncedAt = this.deps.now().toISOString();
    if (!(await this.records.markSynced(item, syncedAt))) {
      // A newer version arrived meanwhile; its writer syncs it. Show what is stored now.
      const latest = await this.read(item.scheduleId);
      return latest ? { item: latest, deleted: false } : { item, deleted: true };
    }
    const synced: ScheduleItem = { ...item, sync: 'synced', syncedAt };
    delete synced.pendingOp;
    delete synced.syncError;
    return { item: synced, deleted: false };
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
    if (!(await this.records.putIfVersion(item, expectedVersion)))
      throw new ConflictError(
        `Schedule ${item.scheduleId} was changed by another request; read it and retry`,
      );
  }
}
