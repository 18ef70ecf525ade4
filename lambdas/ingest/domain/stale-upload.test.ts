import { describe, expect, it } from 'vitest';
import { judgeIngestingUpload } from './stale-upload';

const SETTINGS = { staleAfterMs: 15 * 60_000, maxResumeAttempts: 2 };
const NOW = Date.parse('2026-12-01T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

describe('judgeIngestingUpload', () => {
  it('leaves an upload alone while its lease lasts, however quiet it is', () => {
    const upload = { uploadId: 'U', updatedAt: minutesAgo(60), ingestLeaseUntil: NOW + 1 };
    expect(judgeIngestingUpload(upload, NOW, SETTINGS)).toEqual({ kind: 'live' });
  });

  it('leaves an upload alone whose progress moved within the stale time', () => {
    expect(judgeIngestingUpload({ uploadId: 'U', updatedAt: minutesAgo(14) }, NOW, SETTINGS)).toEqual({
      kind: 'live',
    });
  });

  it('resumes a quiet upload with an expired lease, counting the attempts', () => {
    const upload = { uploadId: 'U', updatedAt: minutesAgo(15), ingestLeaseUntil: NOW - 1, sweepResumes: 1 };
    expect(judgeIngestingUpload(upload, NOW, SETTINGS)).toEqual({ kind: 'resume', attempt: 2 });
  });

  it('gives up after the last attempt, naming the last error, or saying none was recorded', () => {
    const withError = { uploadId: 'U', updatedAt: minutesAgo(20), sweepResumes: 2, lastError: 'Error: boom' };
    expect(judgeIngestingUpload(withError, NOW, SETTINGS)).toEqual({
      kind: 'give-up',
      reason:
        'Ingest made no progress for 15 minutes after 2 resume(s) from its checkpoint; last error: Error: boom',
    });
    const silent = judgeIngestingUpload(
      { uploadId: 'U', updatedAt: minutesAgo(20), sweepResumes: 2 },
      NOW,
      SETTINGS,
    );
    expect(silent.kind === 'give-up' && silent.reason).toContain('none recorded');
  });
});
