import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../../shared/dynamo';
import { type MemberProfileItem, memberKey } from '../../shared/model';
import * as z from '../../shared/zod';

/** The fields every reader relies on; a profile without them is a data fault, reported loudly. */
const memberProfileSchema = z.looseObject({
  pk: z.string(),
  sk: z.literal('PROFILE'),
  memberId: z.string().check(z.minLength(1)),
  email: z.string().check(z.minLength(3)),
  name: z.string(),
  tier: z.string().check(z.minLength(1)),
  subscriptionStatus: z.string().check(z.minLength(1)),
});

/**
 * The one member reader: a member's item by id (one consistent GetItem), its profile fields checked, or
 * undefined for a member we do not know. Every other attribute comes back as stored.
 */
export const getMember = async (
  doc: DocumentClient,
  tableName: string,
  memberId: string,
): Promise<MemberProfileItem | undefined> => {
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: memberKey(memberId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const parsed = memberProfileSchema.safeParse(Item);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`Member ${memberId} has a malformed profile item (${fields})`);
  }
  return parsed.data;
};
