import { Link } from 'wouter';
import { Badge } from '@/components/page';
import { Empty, QueryView } from '@/components/states';
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
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Lead</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Returned</th>
                  <th scope="col">State</th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
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
              </tbody>
            </table>
          </div>
        )
      }
    </QueryView>
  );
};
