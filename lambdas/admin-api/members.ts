import { z } from 'zod';
import { mapConcurrent } from '../distribution/concurrency';
import type { Tier } from '../distribution/domain/tiers';
import { type ImportRowError, parseMemberImport } from '../distribution/member-import';
import {
  MEMBER_ID_PATTERN,
  type MemberStore,
  memberInputSchema,
  toMemberView,
} from '../distribution/members';
import { HttpError } from '../shared/errors';
import { json, parseJsonBody, parsePathParameters, parseQuery, type RouteHandler } from '../shared/http';
import { decodeCursor, encodeCursor } from './cursor';

export interface MemberRoutesDeps {
  readonly store: MemberStore;
  readonly tiers: readonly Tier[];
}

const MemberPathSchema = z.object({
  id: z.string().regex(MEMBER_ID_PATTERN, 'must be 1-64 letters, digits or . _ : -'),
});

const MemberListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2_000).optional(),
  eligible: z.enum(['true', 'false']).optional(),
});

const IMPORT_CONCURRENCY = 8;

/** Members sync from the main platform: upsert one, import many (JSON or CSV), list a page. */
export const memberRoutes = ({ store, tiers }: MemberRoutesDeps): Record<string, RouteHandler> => {
  const bodySchema = memberInputSchema(tiers);

  const upsertOne: RouteHandler = async ({ event }) => {
    const { id } = parsePathParameters(MemberPathSchema, event);
    const input = parseJsonBody(bodySchema, event);
    const { item, outcome } = await store.upsert(id, input);
    return json(outcome === 'created' ? 201 : 200, { outcome, member: toMemberView(item) });
  };

  const importMany: RouteHandler = async ({ event }) => {
    const body = event.body
      ? event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body
      : '';
    const contentType = Object.entries(event.headers ?? {}).find(
      ([name]) => name.toLowerCase() === 'content-type',
    )?.[1];
    const parsed = parseMemberImport(body, contentType, tiers);
    const tally = { created: 0, updated: 0, unchanged: 0 };
    const errors: ImportRowError[] = [...parsed.errors];
    await mapConcurrent(parsed.rows, IMPORT_CONCURRENCY, async (row) => {
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
    const cursor = decodeCursor(
      query.cursor,
      eligibleOnly ? ['pk', 'sk', 'gsi1pk', 'gsi1sk'] : ['pk', 'sk', 'gsi2pk', 'gsi2sk'],
    );
    const page = await store.list({ limit: query.limit, cursor, eligibleOnly });
    return json(200, { members: page.items.map(toMemberView), nextCursor: encodeCursor(page.next) });
  };

  return {
    'PUT /admin/members/{id}': upsertOne,
    'POST /admin/members/import': importMany,
    'GET /admin/members': list,
  };
};
