import { readSchedule } from '../../schedules/adapters/schedule-store';
import { realSleep, type Sleep } from '../../shared/backoff';
import type { DocumentClient } from '../../shared/dynamo';
import { SuppressionListReader } from '../../suppression/adapters/suppression-store';
import type { DistributionDeps } from '../ports';
import { DynamoAssignmentStore } from './assignment-store';
import { DynamoNotificationLog } from './notification-log';
import { DynamoRunLock } from './run-lock';
import { DynamoRunStore } from './run-store';
import { DynamoSupplyStore } from './supply-store';

export interface DistributionTables {
  readonly uploads: string;
  readonly members: string;
  readonly control: string;
}

/** Every store of a distribution run on DynamoDB: what the distribution function and the admin API share. */
export const dynamoDistributionStores = (
  doc: DocumentClient,
  tables: DistributionTables,
  sleep: Sleep = realSleep,
): Pick<
  DistributionDeps,
  'runs' | 'lock' | 'supply' | 'assignments' | 'notifications' | 'schedules' | 'suppression'
> => ({
  runs: new DynamoRunStore(doc, tables.control),
  lock: new DynamoRunLock(doc, tables.control),
  supply: new DynamoSupplyStore(doc, tables, sleep),
  assignments: new DynamoAssignmentStore(doc, tables.members, sleep),
  notifications: new DynamoNotificationLog(doc, tables.control),
  schedules: { get: (scheduleId) => readSchedule(doc, tables.control, scheduleId) },
  suppression: new SuppressionListReader(doc, tables.control),
});
