import { Badge, Page, Section } from '@/components/page';
import { QueryView } from '@/components/states';
import { formatBytes, formatInstant } from '@/lib/format';
import { useUpload } from '../api/uploads';
import { UploadActions } from './upload-actions';
import { UploadCounts, UploadOutcome, UploadProgress } from './upload-status';

export const UploadDetailPage = ({ id }: { id: string }) => {
  const upload = useUpload(id);
  return (
    <Page title={upload.data?.fileName ?? 'Upload'}>
      <QueryView query={upload} what="the upload">
        {(data) => (
          <>
            <dl className="facts">
              <div>
                <dt>State</dt>
                <dd>
                  <Badge state={data.state} />
                </dd>
              </div>
              <div>
                <dt>Uploaded</dt>
                <dd>
                  {formatInstant(data.createdAt)} by {data.uploadedBy}
                </dd>
              </div>
              <div>
                <dt>Last change</dt>
                <dd>{formatInstant(data.updatedAt)}</dd>
              </div>
              <div>
                <dt>Size</dt>
                <dd>{formatBytes(data.sizeBytes)}</dd>
              </div>
              <div>
                <dt>Upload id</dt>
                <dd className="mono">{data.uploadId}</dd>
              </div>
            </dl>
            <UploadActions upload={data} />
            <UploadOutcome upload={data} />
            <UploadProgress upload={data} />
            <Section title="Counts">
              <UploadCounts counts={data.counts} />
            </Section>
            <Section title="Result file">
              {data.result ? (
                <p>
                  <a className="button" href={data.result.url} download>
                    Download the per-row result file
                  </a>{' '}
                  <span className="muted">
                    (the link works for {Math.round(data.result.expiresInSeconds / 60)} minutes; reload for a
                    new one)
                  </span>
                </p>
              ) : (
                <p className="muted">The per-row result file is written once every row has been read.</p>
              )}
            </Section>
          </>
        )}
      </QueryView>
    </Page>
  );
};
