import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link } from 'wouter';
import { Badge, ProgressBar } from '@/components/page';
import { ErrorMessage } from '@/components/states';
import { formatBytes } from '@/lib/format';
import { useUpload } from '../api/uploads';
import type { QueuedUpload } from '../hooks/use-upload-queue';
import { UploadCounts, UploadOutcome, UploadProgress } from './upload-status';

/** After the bytes are in S3, the upload record tells the rest: ingest, verification, counts. */
const LiveUpload = ({ uploadId }: { uploadId: string }) => {
  const upload = useUpload(uploadId);
  const queryClient = useQueryClient();
  const state = upload.data?.state;
  // The list below shows the same upload: refresh it when this one moves on, rather than at its next poll.
  useEffect(() => {
    if (state) void queryClient.invalidateQueries({ queryKey: ['uploads', 'page'] });
  }, [state, queryClient]);
  if (upload.isPending) return <p className="muted">Waiting for the upload record…</p>;
  if (upload.isError) return <ErrorMessage error={upload.error} onRetry={() => upload.refetch()} />;
  const data = upload.data;
  return (
    <>
      <p>
        <Badge state={data.state} /> <Link href={`/uploads/${uploadId}`}>Details</Link>
      </p>
      <UploadOutcome upload={data} />
      <UploadProgress upload={data} />
      {data.counts.rowsRead > 0 && <UploadCounts counts={data.counts} />}
    </>
  );
};

export const QueuedUploadCard = ({ item }: { item: QueuedUpload }) => (
  <li className="card" aria-label={`Upload of ${item.fileName}`}>
    <h3 className="card-title">{item.fileName}</h3>
    {item.phase === 'slot' && <p className="muted">Asking for an upload slot…</p>}
    {item.phase === 'sending' && (
      <ProgressBar
        label={`Sending ${formatBytes(item.sent)} of ${formatBytes(item.total)}`}
        value={item.sent}
        max={item.total}
      />
    )}
    {item.phase === 'sent' && <LiveUpload uploadId={item.uploadId} />}
    {item.phase === 'refused' && <ErrorMessage error={new Error(item.message)} />}
  </li>
);
