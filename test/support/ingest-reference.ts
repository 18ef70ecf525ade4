import { inMemoryIngest } from '../../fixtures/ingest';
import { ingestUpload } from '../../lambdas/ingest/domain/ingest-upload';
import type { IngestCounters, RowStatus } from '../../lambdas/ingest/domain/ports';
import { DEFAULT_INGEST_SETTINGS } from '../../lambdas/ingest/domain/settings';
import { DEV_LEAD_HASH_PEPPER } from '../../local/ingest';

/**
 * What one clean, uninterrupted run of the use case makes of a file (in memory, no earlier uploads): the
 * yardstick a crashed, retried, replayed or handed-over run on the emulators must equal.
 */
export const referenceRun = async (
  content: string,
  uploadId: string,
  chunkSize = DEFAULT_INGEST_SETTINGS.chunkSize,
) => {
  const ingest = inMemoryIngest(content, { pepper: DEV_LEAD_HASH_PEPPER });
  const outcome = await ingestUpload(uploadId, ingest.deps, { ...DEFAULT_INGEST_SETTINGS, chunkSize });
  if (!outcome.done) throw new Error('the reference run did not finish');
  const rows = ingest.results.files.get(uploadId)?.rows ?? [];
  return {
    counters: outcome.counters as IngestCounters,
    statuses: rows.map((row) => [String(row.row), row.status as RowStatus, row.reason]),
    acceptedRows: ingest.leads.leadsOf(uploadId).map((lead) => lead.row),
  };
};
