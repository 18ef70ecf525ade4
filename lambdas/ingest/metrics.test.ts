import { describe, expect, it } from 'vitest';
import { emfDocumentsOf } from '../../test/support/emf';
import { powertoolsIngestMetrics } from './metrics';

const ENV = { POWERTOOLS_METRICS_NAMESPACE: 'Proleads', POWERTOOLS_SERVICE_NAME: 'proleads-ingest' };
const CHUNK = { rowsRead: 1000, accepted: 900, duplicateInFile: 40, duplicateOfEarlier: 50, rejected: 10 };

describe('ingest metrics', () => {
  it('publishes a committed chunk as one EMF document with a count per result', () => {
    // Act
    const documents = emfDocumentsOf(() => powertoolsIngestMetrics(ENV).chunkCommitted(CHUNK));

    // Assert
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({
      service: 'proleads-ingest',
      IngestRowsRead: 1000,
      IngestRowsAccepted: 900,
      IngestRowsDuplicateInFile: 40,
      IngestRowsDuplicateOfEarlier: 50,
      IngestRowsRejected: 10,
      _aws: { CloudWatchMetrics: [{ Namespace: 'Proleads', Dimensions: [['service']] }] },
    });
  });

  it('writes nothing when metrics are disabled', () => {
    const disabled = powertoolsIngestMetrics({ ...ENV, POWERTOOLS_METRICS_DISABLED: 'true' });
    expect(emfDocumentsOf(() => disabled.chunkCommitted(CHUNK))).toEqual([]);
  });
});
