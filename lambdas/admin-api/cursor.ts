import { BadRequestError } from '../shared/errors';

/**
 * Page cursors: DynamoDB's LastEvaluatedKey, opaque to clients (base64url JSON). A cursor that is not one
 * this API issued is a 400, never a Query with arbitrary keys.
 */
export const encodeCursor = (key: Record<string, unknown> | undefined): string | null =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;

export const decodeCursor = (cursor: string | undefined, allowedKeys: readonly string[]) => {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError('cursor: not a cursor this API issued');
  }
  const valid =
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.entries(value).every(([name, part]) => allowedKeys.includes(name) && typeof part === 'string');
  if (!valid) throw new BadRequestError('cursor: not a cursor this API issued');
  return value as Record<string, string>;
};
