import { Link } from 'wouter';
import { Empty, QueryView } from '@/components/states';
import { DataTable } from '@/components/table';
import { formatCount } from '@/lib/format';
import { type MemberLedger, useMemberLedger } from '../api/members';

const REASONS: Record<NonNullable<MemberLedger['weeks'][number]['shortReason']>, string> = {
  supply_short: 'supply short',
  paused: 'paused',
  lapsed: 'subscription lapsed',
  quota_0: 'quota 0',
};

/** Week by week: what the member was owed (accrued + carried over), received (by run), and short, and why. */
export const MemberLedgerTable = ({ memberId }: { memberId: string }) => {
  const ledger = useMemberLedger(memberId);
  return (
    <QueryView query={ledger} what="the ledger">
      {(data) =>
        data.weeks.length === 0 ? (
          <Empty>No run has counted this member yet.</Empty>
        ) : (
          <DataTable
            caption={`Ledger (${data.timeZone} weeks)`}
            captionHidden
            columns={[
              'Week',
              { label: 'Accrued', numeric: true },
              { label: 'Carried over', numeric: true },
              { label: 'Owed', numeric: true },
              { label: 'Received', numeric: true },
              'Runs',
              'Short',
            ]}
          >
            {data.weeks.map((week) => (
              <tr key={week.weekKey} className={week.short > 0 ? 'row-short' : undefined}>
                <td>{week.weekKey}</td>
                <td className="number">{formatCount(week.accrued)}</td>
                <td className="number">{formatCount(week.carriedIn)}</td>
                <td className="number">{formatCount(week.owed)}</td>
                <td className="number">{formatCount(week.received)}</td>
                <td>
                  {week.runs.length === 0
                    ? '—'
                    : week.runs.map((run, index) => (
                        <span key={run.runId}>
                          {index > 0 && ', '}
                          <Link href={`/distributions/${run.runId}`} className="mono">
                            {run.runId.slice(-8)}
                          </Link>{' '}
                          ×{formatCount(run.received)}
                        </span>
                      ))}
                </td>
                <td>
                  {week.short === 0
                    ? '—'
                    : `${formatCount(week.short)} (${week.shortReason ? REASONS[week.shortReason] : 'short'})`}
                </td>
              </tr>
            ))}
          </DataTable>
        )
      }
    </QueryView>
  );
};
