import { HttpError } from '../shared/errors';
import { type AutomailerLink, deleteLink, readLink, recordPartnerRead } from './adapters/member-link-store';

/**
 * AutoMailer reads only members linked with it. A member links by redeeming a hand-off (they chose to sign
 * in to AutoMailer); the member or an admin can see and revoke the link; each partner read is counted on it.
 */

export class NotLinkedError extends HttpError {
  constructor(memberId: string) {
    super(403, 'not_linked', `Member ${memberId} has not linked AutoMailer (or revoked the link)`);
  }
}

export interface LinkView {
  memberId: string;
  linked: boolean;
  link: Omit<AutomailerLink, 'memberId'> | null;
}

export const linkView = (memberId: string, link: AutomailerLink | undefined): LinkView => {
  if (!link) return { memberId, linked: false, link: null };
  const { memberId: _memberId, ...rest } = link;
  return { memberId, linked: true, link: rest };
};

interface LinkTables {
  doc: Parameters<typeof readLink>[0];
  membersTable: string;
}

export const showLink = async ({ doc, membersTable }: LinkTables, memberId: string): Promise<LinkView> =>
  linkView(memberId, await readLink(doc, membersTable, memberId));

/** Revokes the link (idempotent): AutoMailer's next read of this member is refused. */
export const revokeLink = async ({ doc, membersTable }: LinkTables, memberId: string): Promise<void> =>
  deleteLink(doc, membersTable, memberId);

/** Lets AutoMailer's read through only for a linked member, counting it; NotLinkedError otherwise. */
export const admitPartnerRead = async (
  { doc, membersTable }: LinkTables,
  read: { memberId: string; clientId: string; now: Date },
): Promise<void> => {
  if (!(await recordPartnerRead(doc, membersTable, read))) throw new NotLinkedError(read.memberId);
};
