import { Link } from 'wouter';
import { Badge, Page } from '@/components/page';
import { PagedTable } from '@/components/table';
import { useCursorPages } from '@/hooks/use-cursor-pages';
import { formatCount, formatInstant } from '@/lib/format';
import { useRunsPage } from '../api/runs';

export const DistributionsPage = () => {
  const pages = useCursorPages();
  const page = useRunsPage(pages.cursor);
  return (
    <Page
      title="Distributions"
      actions={
        <Link href="/schedules" className="button">
          Run now or dry run
        </Link>
      }
    >
      <PagedTable
        query={page}
        what="the runs"
        pages={pages}
        rowsOf={(data) => data.runs}
        empty={
          <>
            No distribution has run yet. Runs start from a <Link href="/schedules">schedule</Link>, or with
            Run now.
          </>
        }
        columns={[
          'Started',
          'State',
          'Trigger',
          'Week',
          { label: 'Leads', numeric: true },
          { label: 'Served', numeric: true },
          { label: 'Short', numeric: true },
        ]}
        renderRow={(run) => (
          <tr key={run.runId}>
            <td>
              <Link href={`/distributions/${run.runId}`}>{formatInstant(run.startedAt)}</Link>
            </td>
            <td>
              <Badge state={run.state} />
            </td>
            <td>{run.trigger}</td>
            <td>{run.weekKey}</td>
            <td className="number">{formatCount(run.leadsAssigned)}</td>
            <td className="number">{formatCount(run.membersServed)}</td>
            <td className="number">{formatCount(run.membersShort)}</td>
          </tr>
        )}
      />
    </Page>
  );
};
