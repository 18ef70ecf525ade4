import { NotFoundError } from '../../shared/errors';
import {
  bodyText,
  json,
  mediaTypeOf,
  parseJsonBody,
  parsePathParameters,
  parseQuery,
  type RouteHandler,
} from '../../shared/http';
import * as z from '../../shared/zod';
import { ERASURE_PK } from '../../suppression/adapters/erasure-store';
import type { DynamoSuppressionStore } from '../../suppression/adapters/suppression-store';
import { parseSuppressionId, SUPPRESSION_PK_LITERAL } from '../../suppression/domain/suppression';
import { type ErasureDeps, erasePerson, toErasureView } from '../../suppression/erase-person';
import {
  addSuppression,
  importSuppressions,
  readSuppressionCsv,
  toSuppressionView,
} from '../../suppression/suppression-admin';
import { decodeCursor, encodeCursor, keyPart } from './cursor';
import {
  ErasureBodySchema,
  ErasureListQuerySchema,
  SuppressionIdParamsSchema,
  SuppressionImportBodySchema,
  SuppressionInputSchema,
  SuppressionListQuerySchema,
} from './schemas';

const cursorSchema = z.strictObject({ pk: z.literal(SUPPRESSION_PK_LITERAL), sk: keyPart() });

const erasureCursorSchema = z.strictObject({ pk: z.literal(ERASURE_PK), sk: keyPart() });

/** The suppression list's admin routes (add, import, list, remove) and erasures (erase, list). */
export const createSuppressionRoutes = (
  deps: ErasureDeps & { readonly store: DynamoSuppressionStore },
): Record<string, RouteHandler> => ({
  'POST /admin/erasures': async ({ event, principal }) => {
    const { email } = parseJsonBody(ErasureBodySchema, event);
    return json(201, await erasePerson(deps, email, principal?.sub ?? 'unknown'));
  },
  'GET /admin/erasures': async ({ event }) => {
    const query = parseQuery(ErasureListQuerySchema, event);
    const page = await deps.erasures.page(query.limit, decodeCursor(query.cursor, erasureCursorSchema));
    return json(200, { erasures: page.items.map(toErasureView), nextCursor: encodeCursor(page.next) });
  },
  'POST /admin/suppressions': async ({ event, principal }) => {
    const input = parseJsonBody(SuppressionInputSchema, event);
    const { created, entry } = await addSuppression(deps, input, principal?.sub ?? 'unknown');
    return json(created ? 201 : 200, { created, suppression: entry });
  },
  'POST /admin/suppressions/import': async ({ event, principal }) => {
    const rows =
      mediaTypeOf(event) === 'text/csv'
        ? readSuppressionCsv(bodyText(event))
        : parseJsonBody(SuppressionImportBodySchema, event).entries.map((entry, index) => ({
            row: index + 1,
            email: 'email' in entry ? entry.email : '',
            domain: 'domain' in entry ? entry.domain : '',
          }));
    return json(200, await importSuppressions(deps, rows, principal?.sub ?? 'unknown'));
  },
  'GET /admin/suppressions': async ({ event }) => {
    const query = parseQuery(SuppressionListQuerySchema, event);
    const page = await deps.store.page(query.limit, decodeCursor(query.cursor, cursorSchema));
    return json(200, {
      suppressions: page.items.map(toSuppressionView),
      nextCursor: encodeCursor(page.next),
    });
  },
  'DELETE /admin/suppressions/{id}': async ({ event }) => {
    const { id } = parsePathParameters(SuppressionIdParamsSchema, event);
    const { kind, key } = parseSuppressionId(id) as NonNullable<ReturnType<typeof parseSuppressionId>>;
    if (!(await deps.store.remove(kind, key))) throw new NotFoundError(`No suppression ${id}`);
    return { statusCode: 204, headers: {}, body: '' };
  },
});
