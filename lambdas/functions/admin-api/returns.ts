import { DynamoReturnStore, retireReturnedLead } from '../../returns/adapters/return-store';
import { returnView } from '../../returns/domain/returns';
import { decideReturn } from '../../returns/returns';
import type { DocumentClient } from '../../shared/dynamo';
import { UnauthorizedError } from '../../shared/errors';
import { json, parseJsonBody, parsePathParameters, parseQuery, type RouteHandler } from '../../shared/http';
import * as z from '../../shared/zod';
import { decodeCursor, encodeCursor, keyPart } from './cursor';
import {
  MemberIdParamsSchema,
  ReturnApproveBodySchema,
  ReturnIdParamsSchema,
  ReturnQueueQuerySchema,
  ReturnRefuseBodySchema,
} from './schemas';

/** API Gateway gives a route at most 29 s: counting claims outlive that. */
const ROUTE_TIME_MS = 29_000;

export interface ReturnRoutesDeps {
  readonly doc: DocumentClient;
  readonly tables: { readonly members: string; readonly control: string; readonly uploads: string };
  readonly maxAssignmentsPerLead: number;
  readonly now?: () => Date;
}

/** The queue index's LastEvaluatedKey; anything else in a cursor is refused. */
const cursorKeySchema = z.strictObject({
  pk: keyPart(),
  sk: keyPart(),
  gsi4pk: z.string().check(z.startsWith('RETURNS#')),
  gsi4sk: keyPart(),
});

/**
 * The admins' side of returns: the queue by state (oldest first), and the decision on a pending return —
 * approved (the lead leaves circulation, the member is owed one replacement) or refused, with a note.
 */
export const createReturnRoutes = (deps: ReturnRoutesDeps): Record<string, RouteHandler> => {
  const store = new DynamoReturnStore(deps.doc, deps.tables);
  const decideDeps = {
    store,
    now: deps.now ?? (() => new Date()),
    remainingMs: ROUTE_TIME_MS,
    retireLead: (item: Parameters<typeof retireReturnedLead>[3]) =>
      retireReturnedLead(deps.doc, deps.tables.uploads, deps.maxAssignmentsPerLead, item),
  };

  const queue: RouteHandler = async ({ event }) => {
    const { state, limit, cursor } = parseQuery(ReturnQueueQuerySchema, event);
    const page = await store.queue(state, { limit, cursor: decodeCursor(cursor, cursorKeySchema) });
    return json(200, { returns: page.items.map(returnView), nextCursor: encodeCursor(page.next) });
  };

  const ofMember: RouteHandler = async ({ event }) => {
    const { id } = parsePathParameters(MemberIdParamsSchema, event);
    return json(200, { returns: (await store.ofMember(id)).map(returnView) });
  };

  const decide =
    (decision: 'approve' | 'refuse'): RouteHandler =>
    async ({ event, principal }) => {
      if (!principal) throw new UnauthorizedError();
      // The body first: a malformed body is the same 400/413/415 whatever the id names.
      const { note } =
        decision === 'refuse'
          ? parseJsonBody(ReturnRefuseBodySchema, event)
          : event.body
            ? parseJsonBody(ReturnApproveBodySchema, event)
            : {};
      const { id } = parsePathParameters(ReturnIdParamsSchema, event);
      const item = await decideReturn(decideDeps, id, {
        decision,
        by: principal.sub,
        ...(note === undefined ? {} : { note }),
      });
      return json(200, returnView(item));
    };

  return {
    'GET /admin/returns': queue,
    'GET /admin/members/{id}/returns': ofMember,
    'POST /admin/returns/{id}/approve': decide('approve'),
    'POST /admin/returns/{id}/refuse': decide('refuse'),
  };
};
