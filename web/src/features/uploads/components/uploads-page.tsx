import { Link } from 'wouter';
import { Badge, Page, Section } from '@/components/page';
import { PagedTable } from '@/components/table';
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
    <PagedTable
      query={page}
      what="uploads"
      pages={pages}
      rowsOf={(data) => data.uploads}
      empty="No file has been uploaded yet. Drop a CSV above to start."
      columns={[
        'File',
        'State',
        'Uploaded',
        { label: 'Rows', numeric: true },
        { label: 'Accepted', numeric: true },
        { label: 'Duplicates', numeric: true },
        { label: 'Rejected', numeric: true },
        { label: 'Deliverable', numeric: true },
        'Actions',
      ]}
      renderRow={(upload) => (
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
      )}
    />
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
