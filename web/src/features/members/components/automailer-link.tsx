import { Figure, Figures } from '@/components/page';
import { ErrorMessage, QueryView } from '@/components/states';
import { formatCount, formatInstant } from '@/lib/format';
import { useAutomailerLink, useRevokeAutomailerLink } from '../api/members';

/** Whether AutoMailer may read this member's leads, how often it did, and a way to stop it at once. */
export const AutomailerLinkPanel = ({ memberId }: { memberId: string }) => {
  const link = useAutomailerLink(memberId);
  const revoke = useRevokeAutomailerLink(memberId);
  return (
    <QueryView query={link} what="the AutoMailer link">
      {(data) =>
        data.link === null ? (
          <p className="muted">
            Not linked: AutoMailer cannot read this member's leads until the member hands off to it again.
          </p>
        ) : (
          <>
            <Figures>
              <Figure label="Linked since" value={formatInstant(data.link.linkedAt)} />
              <Figure label="Last hand-off" value={formatInstant(data.link.lastHandoffAt)} />
              <Figure label="Last read by AutoMailer" value={formatInstant(data.link.lastReadAt)} />
              <Figure label="Reads under this link" value={formatCount(data.link.readCount)} />
            </Figures>
            <button
              type="button"
              className="button"
              disabled={revoke.isPending}
              onClick={() => revoke.mutate()}
            >
              Revoke AutoMailer's access
            </button>
            {revoke.isError && <ErrorMessage error={revoke.error} />}
          </>
        )
      }
    </QueryView>
  );
};
