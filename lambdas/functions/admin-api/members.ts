import { z } from 'zod';
import { type MemberStore, toMemberView } from '../../members/adapters/member-store';
import { memberInputSchema } from '../../members/domain/member-schemas';
import type { Tier } from '../../members/domain/tiers';
import { type ImportRowError, parseMemberImport } from '../../members/member-import';
import { mapWithConcurrency } from '../../shared/concurrency';
import { HttpError } from '../../shared/errors';
import {
  bodyText,
  json,
  mediaTypeOf,
  parseJsonBody,
  parsePathParameters,
  parseQuery,
  type RouteHandler,
} from '../../shared/http';
import { ELIGIBLE_INDEX_PK, MEMBER_DIRECTORY_PK } from '../../shared/model';
import { decodeCursor, encodeCursor, keyPart } from './cursor';
import { MemberIdParamsSchema, MemberListQuerySchema } from './schemas';

export interface MemberRoutesDeps {
  readonly store: MemberStore;
  readonly tiers: readonly Tier[];
}

const IMPORT_CONCURRENCY = 8;

/** Cursors of the two member indexes: their LastEvaluatedKey, index partition pinned. */
const profileKey = { pk: z.string().startsWith('MEMBER#'), sk: z.literal('PROFILE') };
const directoryCursorSchema = z.strictObject({
  ...profileKey,
  gsi2pk: z.literal(MEMBER_DIRECTORY_PK),
  gsi2sk: keyPart(),
});
const eligibleCursorSchema = z.strictObject({
  ...profileKey,
  gsi1pk: z.literal(ELIGIBLE_INDEX_PK),
  gsi1sk: keyPart(),
});

/** Members sync from the main platform: upsert one, import many (JSON or CSV), list a page. */
export const memberRoutes = ({ store, tiers }: MemberRoutesDeps): Record<string, RouteHandler> => {
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
    const eligibleOnly = query.eligible === 'true';
    const cursor = eligibleOnly
      ? decodeCursor(query.cursor, eligibleCursorSchema)
      : decodeCursor(query.cursor, directoryCursorSchema);
    const page = await store.list({ limit: query.limit, cursor, eligibleOnly });
    return json(200, { members: page.items.map(toMemberView), nextCursor: encodeCursor(page.next) });
  };

  return {
    'PUT /admin/members/{id}': upsertOne,
    'POST /admin/members/import': importMany,
    'GET /admin/members': list,
  };
};
