import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../../shared/dynamo';
import { INGEST_SWEEP_KEY, type IngestSweepItem } from '../../shared/model';

/** Replaces the last sweep's findings on the control table (read by the overview and the health report). */
export const saveSweepRecord = async (
  doc: DocumentClient,
  controlTable: string,
  item: IngestSweepItem,
): Promise<void> => {
  await doc.send(new PutCommand({ TableName: controlTable, Item: { ...INGEST_SWEEP_KEY, ...item } }));
};
