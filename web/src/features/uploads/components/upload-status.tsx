import { Link } from 'wouter';
import { ProgressBar } from '@/components/page';
import { formatCount } from '@/lib/format';
import type { UploadDetail } from '../api/uploads';

/** Why an upload stopped, in plain words, with the earlier upload linked when it was a repeat. */
export const UploadOutcome = ({
  upload,
}: {
  upload: Pick<UploadDetail, 'state' | 'failureReason' | 'stoppedAtRow' | 'duplicateOf' | 'hashesReleasedAt'>;
}) => {
  if (upload.state === 'paused')
    return (
      <p className="notice notice-warn">
        Paused: distribution skips this file until it is resumed, then meets it again in its original place.
      </p>
    );
  if (upload.state === 'withdrawn')
    return (
      <p className="notice notice-warn">
        Withdrawn: its leads nobody had received left the supply; the ones already delivered stay delivered.{' '}
        {upload.hashesReleasedAt
          ? 'Those people were forgotten, so they can be uploaded again.'
          : 'Those people are still known, so uploading them again counts them as duplicates.'}
      </p>
    );
  if (upload.state === 'failed')
    return (
      <p className="notice notice-bad">
        This file was refused as a whole{upload.failureReason ? `: ${upload.failureReason}` : ''}.
        {upload.stoppedAtRow !== undefined && ` Reading stopped at row ${formatCount(upload.stoppedAtRow)}.`}{' '}
        None of its leads will be distributed; correct the file and upload it again.
      </p>
    );
  if (upload.state === 'completed')
    return (
      <p className="notice">
        This file is finished with nothing to distribute: every row was a duplicate, refused or undeliverable,
        so it never joins the queue. The counts below say which.
      </p>
    );
  if (upload.state === 'duplicate_file')
    return (
      <p className="notice notice-warn">
        This file is byte for byte the same as one uploaded before, so it was not read again and no lead was
        added twice.{' '}
        {upload.duplicateOf && <Link href={`/uploads/${upload.duplicateOf}`}>See the earlier upload</Link>}
      </p>
    );
  return null;
};

/** Ingest (rows read and done), then verification (leads settled of those accepted). */
export const UploadProgress = ({ upload }: { upload: UploadDetail }) => {
  const { progress } = upload;
  const toVerify = progress.verified + progress.verificationPending;
  return (
    <div className="upload-progress">
      {(upload.state === 'ingesting' || progress.rowsRead > 0) && (
        <ProgressBar
          label={`Ingest: ${formatCount(progress.rowsDone)} of ${formatCount(progress.rowsRead)} rows`}
          value={progress.rowsDone}
          max={progress.rowsRead}
        />
      )}
      {toVerify > 0 && (
        <ProgressBar
          label={`Verification: ${formatCount(progress.verified)} of ${formatCount(toVerify)} leads`}
          value={progress.verified}
          max={toVerify}
        />
      )}
    </div>
  );
};

/** The counts of an upload as a definition list: what was read, kept, refused and settled. */
export const UploadCounts = ({ counts }: { counts: UploadDetail['counts'] }) => (
  <dl className="counts">
    {(
      [
        ['Rows read', counts.rowsRead],
        ['Accepted', counts.accepted],
        ['Duplicates in the file', counts.duplicateInFile],
        ['Duplicates of earlier leads', counts.duplicateOfEarlier],
        ['Rejected rows', counts.rejected],
        ['Awaiting verification', counts.verificationPending],
        ['Deliverable', counts.deliverable],
        ['Undeliverable', counts.undeliverable],
        ['Assigned to members', counts.assigned],
      ] as const
    ).map(([label, value]) => (
      <div key={label}>
        <dt>{label}</dt>
        <dd>{formatCount(value)}</dd>
      </div>
    ))}
  </dl>
);
