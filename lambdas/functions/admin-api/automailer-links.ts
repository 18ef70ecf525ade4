import { revokeLink, showLink } from '../../automailer/member-link';
import { getMember } from '../../members/adapters/member-profile';
import type { DocumentClient } from '../../shared/dynamo';
import { NotFoundError } from '../../shared/errors';
import { type ApiRequest, json, parsePathParameters, type RouteHandler } from '../../shared/http';
import { MemberIdParamsSchema } from './schemas';

/** A member's AutoMailer link as an admin sees it (with AutoMailer's reads), and its revocation. */
export const automailerLinkRoutes = (tables: {
  doc: DocumentClient;
  membersTable: string;
}): Record<string, RouteHandler> => {
  const knownMember = async (event: ApiRequest['event']) => {
    const { id } = parsePathParameters(MemberIdParamsSchema, event);
    if (!(await getMember(tables.doc, tables.membersTable, id))) throw new NotFoundError(`No member ${id}`);
    return id;
  };
  return {
    'GET /admin/members/{id}/automailer-link': async ({ event }) =>
      json(200, await showLink(tables, await knownMember(event))),
    'DELETE /admin/members/{id}/automailer-link': async ({ event }) => {
      await revokeLink(tables, await knownMember(event));
      return { statusCode: 204, headers: {}, body: '' };
    },
  };
};
