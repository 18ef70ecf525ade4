import {
  memberAssignmentsPage,
  readLedgerEntries,
  readMemberWeek,
} from '../../members/adapters/member-reads';
import { MemberLedgerQuerySchema } from '../../members/domain/ledger-query';
import { toMemberView } from '../../members/domain/member-record';
import { memberInputSchema } from '../../members/domain/member-schemas';
import type { Tier } from '../../members/domain/tiers';
import { type ImportRowError, parseMemberImport } from '../../members/member-import';
import { readMemberLedger } from '../../members/member-ledger';
import type { MemberStore } from '../../members/member-store';
import { weekKey } from '../../schedules/domain/schedule';
import { mapWithConcurrency } from '../../shared/concurrency';
import type { DocumentClient } from '../../shared/dynamo';
import { BadRequestError, HttpError, NotFoundError } from '../../shared/errors';
import {
  bodyText,
  json,
  mediaTypeOf,
  parseJsonBody,
  parsePathParameters,
  parseQuery,
  type RouteHandler,
} from '../../shared/http';
import {
  ASSIGNMENT_SK_PREFIX,
  type AssignmentItem,
  ELIGIBLE_INDEX_PK,
  MEMBER_DIRECTORY_PK,
  memberKey,
  NOT_ELIGIBLE_INDEX_PK,
} from '../../shared/model';
import * as z from '../../shared/zod';
import type { DeliveredLeadSchema } from './answers';
import { decodeCursor, encodeCursor, keyPart } from './cursor';
import { MemberIdParamsSchema, MemberLeadsQuerySchema, MemberListQuerySchema } from './schemas';

export interface MemberRoutesDeps {
  readonly store: MemberStore;
  readonly tiers: readonly Tier[];
  readonly doc: DocumentClient;
  readonly membersTable: string;
  /** The zone of the week a member's "this week" is counted in (distribution.timeZone). */
  readonly timeZone: string;
  readonly now: () => Date;
}

const IMPORT_CONCURRENCY = 8;

/** Cursors of the two member indexes: their LastEvaluatedKey, index partition pinned. */
const profileKey = { pk: z.string().check(z.startsWith('MEMBER#')), sk: z.literal('PROFILE') };
const directoryCursorSchema = z.strictObject({
  ...profileKey,
  gsi2pk: z.literal(MEMBER_DIRECTORY_PK),
  gsi2sk: keyPart(),
});
const eligibleCursorSchema = (eligible: boolean) =>
  z.strictObject({
    ...profileKey,
    gsi1pk: z.literal(eligible ? ELIGIBLE_INDEX_PK : NOT_ELIGIBLE_INDEX_PK),
    gsi1sk: keyPart(),
  });
const tierCursorSchema = (tier: string) =>
  z.strictObject({ ...profileKey, gsi3pk: z.literal(`TIER#${tier}`), gsi3sk: keyPart() });
/** A member's leads page: the last assignment's key, in that member's partition. */
const assignmentCursorSchema = (memberId: string) =>
  z.strictObject({
    pk: z.literal(memberKey(memberId).pk),
    sk: keyPart().check(z.startsWith(ASSIGNMENT_SK_PREFIX)),
  });

export const deliveredLeadView = (item: AssignmentItem): z.infer<typeof DeliveredLeadSchema> => {
  const { assignedAt, runId, uploadId, row, email } = item;
  const optional = Object.fromEntries(
    (
      [
        'firstName',
        'lastName',
        'fullName',
        'phone',
        'company',
        'title',
        'website',
        'city',
        'state',
        'country',
      ] as const
    ).flatMap((field) => (typeof item[field] === 'string' && item[field] ? [[field, item[field]]] : [])),
  );
  return { assignedAt, runId, uploadId, row, email, ...optional };
};

/**
 * Members sync from the main platform (upsert one, import many as JSON or CSV) and what the console shows of
 * them: a filtered page, one member with this week's deliveries, and the leads a member received.
 */
export const memberRoutes = (deps: MemberRoutesDeps): Record<string, RouteHandler> => {
  const { store, tiers } = deps;
  const bodySchema = memberInputSchema(tiers);

  const upsertOne: RouteHandler = async ({ event }) => {
    const { id } = parsePathParameters(MemberIdParamsSchema, event);
    const input = parseJsonBody(bodySchema, event);
    const { item, outcome } = await store.upsert(id, input);
    return json(outcome === 'created' ? 201 : 200, { outcome, member: toMemberView(item) });
  };

  const importMany: RouteHandler = async ({ event }) => {
    const parsed = parseMemberImport(bodyText(event), mediaTypeOf(event), tiers);
    const tally = { created: 0, updated: 0, unchanged: 0 };
    const errors: ImportRowError[] = [...parsed.errors];
    await mapWithConcurrency(parsed.rows, IMPORT_CONCURRENCY, async (row) => {
      try {
        const { outcome } = await store.upsert(row.memberId, row.input);
        tally[outcome] += 1;
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        errors.push({ row: row.row, memberId: row.memberId, message: error.message });
      }
    });
    errors.sort((a, b) => a.row - b.row);
    return json(200, { received: parsed.received, ...tally, failed: errors.length, errors });
  };

  const list: RouteHandler = async ({ event }) => {
    const query = parseQuery(MemberListQuerySchema, event);
    const eligible = query.eligible === undefined ? undefined : query.eligible === 'true';
    const { tier } = query;
    if (tier !== undefined && !tiers.some((known) => known.name === tier))
      throw new BadRequestError(`Invalid query string: tier: '${tier}' is not a configured tier`, [
        { path: 'tier', message: `known: ${tiers.map((known) => known.name).join(', ')}` },
      ]);
    const cursor =
      tier !== undefined
        ? decodeCursor(query.cursor, tierCursorSchema(tier))
        : eligible !== undefined
          ? decodeCursor(query.cursor, eligibleCursorSchema(eligible))
          : decodeCursor(query.cursor, directoryCursorSchema);
    const page = await store.list({
      limit: query.limit,
      cursor,
      eligible,
      tier,
    });
    return json(200, { members: page.items.map(toMemberView), nextCursor: encodeCursor(page.next) });
  };

  const existing = async (id: string) => {
    const item = await store.get(id);
    if (!item) throw new NotFoundError(`No member ${id}`);
    return item;
  };

  const detail: RouteHandler = async ({ event }) => {
    const { id } = parsePathParameters(MemberIdParamsSchema, event);
    const week = weekKey(deps.now(), deps.timeZone);
    const [item, [entry], tally] = await Promise.all([
      existing(id),
      readLedgerEntries(deps.doc, deps.membersTable, id, [week]),
      readMemberWeek(deps.doc, deps.membersTable, id, week),
    ]);
    const member = toMemberView(item);
    // Before this week's first run the ledger has no entry: a week's quota, less a tally kept before it.
    const received = entry?.received ?? tally?.received ?? 0;
    const owedThisWeek = entry?.owed ?? member.weeklyQuota;
    return json(200, {
      member,
      thisWeek: {
        weekKey: week,
        timeZone: deps.timeZone,
        received,
        weeklyQuota: member.weeklyQuota,
        owed: member.eligible ? Math.max(0, owedThisWeek - received) : 0,
        lastServedAt: entry?.lastServedAt ?? tally?.lastServedAt ?? null,
      },
    });
  };

  const leads: RouteHandler = async ({ event }) => {
    const { id } = parsePathParameters(MemberIdParamsSchema, event);
    const query = parseQuery(MemberLeadsQuerySchema, event);
    const cursor = decodeCursor(query.cursor, assignmentCursorSchema(id));
    await existing(id);
    const page = await memberAssignmentsPage(deps.doc, deps.membersTable, id, { limit: query.limit, cursor });
    return json(200, {
      leads: page.items.map(deliveredLeadView),
      nextCursor: encodeCursor(page.next),
    });
  };

  const clearAddressMark: RouteHandler = async ({ event }) => {
    const { id } = parsePathParameters(MemberIdParamsSchema, event);
    const cleared = await store.clearAddressMark(id);
    if (!cleared) throw new NotFoundError(`No member ${id}`);
    return json(200, { outcome: cleared.outcome, member: toMemberView(cleared.item) });
  };

  const ledger: RouteHandler = async ({ event }) => {
    const { id } = parsePathParameters(MemberIdParamsSchema, event);
    const { weeks } = parseQuery(MemberLedgerQuerySchema, event);
    return json(200, await readMemberLedger(deps, await existing(id), weeks));
  };

  return {
    'PUT /admin/members/{id}': upsertOne,
    'DELETE /admin/members/{id}/address-mark': clearAddressMark,
    'POST /admin/members/import': importMany,
    'GET /admin/members': list,
    'GET /admin/members/{id}': detail,
    'GET /admin/members/{id}/leads': leads,
    'GET /admin/members/{id}/ledger': ledger,
  };
};
