import { Badge, Figure, Figures } from '@/components/page';
import { ErrorMessage } from '@/components/states';
import { formatCount, formatInstant } from '@/lib/format';
import { type Member, useClearAddressMark } from '../api/members';

/** In the member list: the mark on the member's address, or that it is mailed. */
export const AddressMarkBadge = ({ member }: { member: Member }) =>
  member.addressMark ? <Badge state={member.addressMark.reason} /> : <span className="muted">mailed</span>;

const WHY: Record<NonNullable<Member['addressMark']>['reason'], string> = {
  'hard-bounce': 'the address bounced permanently (it does not exist or refuses mail)',
  complaint: 'the member marked our email as spam',
};

/**
 * On a member's page: whether their address is mailed, why not when it is marked, and the admin's way to
 * mail it again (once the address is known to work, or the member asked for the emails again).
 */
export const AddressMarkPanel = ({ member }: { member: Member }) => {
  const clear = useClearAddressMark(member.id);
  const mark = member.addressMark;
  return (
    <>
      <Figures>
        <Figure
          label="Notification emails"
          value={mark ? <Badge state={mark.reason} /> : 'sent'}
          hint={mark ? `not sent since ${formatInstant(mark.at)}: ${WHY[mark.reason]}` : undefined}
        />
        <Figure
          label="Soft bounces"
          value={formatCount(member.softBounces)}
          hint="temporary delivery failures; they do not stop the emails"
        />
      </Figures>
      {mark && (
        <>
          <p className="muted">
            The member still gets their leads. Clear the mark only when the address works again or the member
            asked for the emails back: SES watches the account's bounce and complaint rates.
          </p>
          <button type="button" className="button" disabled={clear.isPending} onClick={() => clear.mutate()}>
            Email this address again
          </button>
          {clear.isError && <ErrorMessage error={clear.error} />}
        </>
      )}
    </>
  );
};
