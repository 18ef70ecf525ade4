import { Link } from 'wouter';
import { Badge, Page, Section } from '@/components/page';
import { Pager } from '@/components/pager';
import { Empty, QueryView } from '@/components/states';
import { useCursorPages } from '@/hooks/use-cursor-pages';
import { formatCount, formatInstant } from '@/lib/format';
import { useUploadsPage } from '../api/uploads';
import { useUploadQueue } from '../hooks/use-upload-queue';
import { DropZone } from './drop-zone';
import { QueuedUploadCard } from './queued-upload';
import { UploadActions } from './upload-actions';

const UploadList = () => {
  const pages = useCursorPages();
  const page = useUploadsPage(pages.cursor);
  return (
    <QueryView query={page} what="uploads">
      {(data) =>
        data.uploads.length === 0 && !pages.hasPrevious ? (
          <Empty>No file has been uploaded yet. Drop a CSV above to start.</Empty>
        ) : (
          <>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">State</th>
                    <th scope="col">Uploaded</th>
                    <th scope="col" className="number">
                      Rows
                    </th>
                    <th scope="col" className="number">
                      Accepted
                    </th>
                    <th scope="col" className="number">
                      Duplicates
                    </th>
                    <th scope="col" className="number">
                      Rejected
                    </th>
                    <th scope="col" className="number">
                      Deliverable
                    </th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {data.uploads.map((upload) => (
                    <tr key={upload.uploadId}>
                      <td>
                        <Link href={`/uploads/${upload.uploadId}`}>{upload.fileName}</Link>
                      </td>
                      <td>
                        <Badge state={upload.state} />
                      </td>
                      <td>{formatInstant(upload.createdAt)}</td>
                      <td className="number">{formatCount(upload.counts.rowsRead)}</td>
                      <td className="number">{formatCount(upload.counts.accepted)}</td>
                      <td className="number">
                        {formatCount(upload.counts.duplicateInFile + upload.counts.duplicateOfEarlier)}
                      </td>
                      <td className="number">{formatCount(upload.counts.rejected)}</td>
                      <td className="number">{formatCount(upload.counts.deliverable)}</td>
                      <td>
                        <UploadActions upload={upload} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} nextCursor={data.nextCursor} />
          </>
        )
      }
    </QueryView>
  );
};

export const UploadsPage = () => {
  const queue = useUploadQueue();
  return (
    <Page title="Uploads">
      <DropZone onFiles={queue.add} />
      {queue.items.length > 0 && (
        <Section title="Sent in this visit">
          <ul className="cards">
            {queue.items.map((item) => (
              <QueuedUploadCard key={item.key} item={item} />
            ))}
          </ul>
        </Section>
      )}
      <Section title="All uploads, newest first">
        <UploadList />
      </Section>
    </Page>
  );
};
