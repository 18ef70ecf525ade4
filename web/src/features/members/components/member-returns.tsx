import { Link } from 'wouter';
import { Badge } from '@/components/page';
import { Empty, QueryView } from '@/components/states';
import { DataTable } from '@/components/table';
import { formatInstant } from '@/lib/format';
import { useMemberReturns } from '../api/members';

/** The leads this member returned, newest first, with the decision and its note; pending ones are decided on Returns. */
export const MemberReturns = ({ memberId }: { memberId: string }) => {
  const returns = useMemberReturns(memberId);
  return (
    <QueryView query={returns} what="the member's returns">
      {(data) =>
        data.returns.length === 0 ? (
          <Empty>This member has not returned any lead.</Empty>
        ) : (
          <DataTable columns={['Lead', 'Reason', 'Returned', 'State', 'Note']}>
            {data.returns.map((item) => (
              <tr key={item.returnId}>
                <td>
                  <Link href={`/uploads/${item.uploadId}`}>row {item.row}</Link>
                </td>
                <td>
                  {item.reason.replaceAll('_', ' ')}
                  {item.text && <span className="muted"> — {item.text}</span>}
                </td>
                <td>{formatInstant(item.createdAt)}</td>
                <td>
                  <Badge state={item.state} />
                  {item.state === 'pending' && (
                    <>
                      {' '}
                      <Link href="/returns">decide</Link>
                    </>
                  )}
                </td>
                <td>{item.note ?? ''}</td>
              </tr>
            ))}
          </DataTable>
        )
      }
    </QueryView>
  );
};
