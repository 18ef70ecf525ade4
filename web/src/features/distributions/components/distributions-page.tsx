import { Link } from 'wouter';
import { Badge, Page } from '@/components/page';
import { Pager } from '@/components/pager';
import { Empty, QueryView } from '@/components/states';
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
      <QueryView query={page} what="the runs">
        {(data) =>
          data.runs.length === 0 && !pages.hasPrevious ? (
            <Empty>
              No distribution has run yet. Runs start from a <Link href="/schedules">schedule</Link>, or with
              Run now.
            </Empty>
          ) : (
            <>
              <div className="table-scroll">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Started</th>
                      <th scope="col">State</th>
                      <th scope="col">Trigger</th>
                      <th scope="col">Week</th>
                      <th scope="col" className="number">
                        Leads
                      </th>
                      <th scope="col" className="number">
                        Served
                      </th>
                      <th scope="col" className="number">
                        Short
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.runs.map((run) => (
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
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager pages={pages} nextCursor={data.nextCursor} />
            </>
          )
        }
      </QueryView>
    </Page>
  );
};
