import { BadRequestError } from '../../shared/errors';
import * as z from '../../shared/zod';

/**
 * Page cursors: DynamoDB's LastEvaluatedKey, opaque to clients (base64url JSON). A cursor is decoded with the
 * exact key schema of the index it pages through, partition values pinned, so a cursor this API did not
 * issue is a 400, never a Query with arbitrary keys (which DynamoDB would refuse with a 500 of ours).
 */
export const encodeCursor = (key: Record<string, unknown> | undefined): string | null =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;

const REFUSED = 'Invalid query string: cursor: not a cursor this API issued';

export const decodeCursor = (
  cursor: string | undefined,
  keySchema: z.core.$ZodType<Record<string, string>>,
): Record<string, string> | undefined => {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError(REFUSED, [{ path: 'cursor', message: 'not a cursor this API issued' }]);
  }
  const parsed = z.safeParse(keySchema, value);
  if (!parsed.success)
    throw new BadRequestError(REFUSED, [{ path: 'cursor', message: 'not a cursor this API issued' }]);
  return parsed.data;
};

/** A key attribute of a cursor: DynamoDB refuses empty key values, so they are refused here first. */
export const keyPart = () => z.string().check(z.minLength(1), z.maxLength(1024));

/** The query of every list route: a page size and the previous page's `nextCursor`. */
export const pageQuerySchema = ({ defaultLimit, maxLimit }: { defaultLimit: number; maxLimit: number }) => {
  return z.strictObject({
    limit: z
      ._default(
        z.wholeNumberIn(1, maxLimit, `must be a whole number from 1 to ${maxLimit}`, { coerced: true }),
        defaultLimit,
      )
      .check(z.meta({ description: `page size (default ${defaultLimit})` })),
    cursor: z
      .optional(z.string().check(z.maxLength(2_000)))
      .check(z.meta({ description: "the previous page's nextCursor, as it was given (opaque)" })),
  });
};

/** `nextCursor` of a page: pass it back as `cursor` for the next page; null on the last page. */
export const NextCursorSchema = z
  .nullable(z.string())
  .check(z.meta({ description: 'pass as `cursor` for the next page; null on the last page' }));
