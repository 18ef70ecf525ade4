import type { ScheduleItem } from '../shared/model';

/** What the schedule use cases read and write; `adapters/` has the DynamoDB and Scheduler sides. */

/** Schedule items in the control table; every change is conditioned on the version read. */
export interface ScheduleRecords {
  /** One schedule (consistent read), or undefined. */
  read(scheduleId: string): Promise<ScheduleItem | undefined>;
  /** A page of schedules (consistent read); `next` is the key to continue from. */
  page(options: {
    limit: number;
    cursor?: Record<string, unknown>;
  }): Promise<{ items: ScheduleItem[]; next?: Record<string, unknown> }>;
  /** Saves a new schedule; throws if one with its id exists. */
  create(item: ScheduleItem): Promise<void>;
  /** Replaces the item if the stored version is still `expectedVersion`. */
  putIfVersion(item: ScheduleItem, expectedVersion: number): Promise<boolean>;
  /** Records why Scheduler has not taken this version yet; false when a newer version is stored. */
  recordSyncError(item: ScheduleItem, syncError: string): Promise<boolean>;
  /** Marks this version as held by Scheduler; false when a newer version is stored. */
  markSynced(item: ScheduleItem, syncedAt: string): Promise<boolean>;
  /** Removes this version's item; a no-op when it is gone or newer. */
  deleteIfVersion(item: ScheduleItem): Promise<void>;
}

/** EventBridge Scheduler as the schedules' mirror: each call idempotent for one client token. */
export interface SchedulerMirror {
  /** Creates or updates the schedule to hold this item's settings. */
  upsert(item: ScheduleItem, clientToken: string): Promise<void>;
  /** Deletes the schedule; a schedule that is already gone counts as deleted. */
  remove(scheduleId: string, clientToken: string): Promise<void>;
}
