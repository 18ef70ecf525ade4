import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalUpdate, type DocumentClient } from '../../shared/dynamo';
import { automailerLinkKey } from '../../shared/model';

/** A member's link with AutoMailer and what AutoMailer has read under it (members table). */
export interface AutomailerLink {
  memberId: string;
  clientId: string;
  /** when the first hand-off since the last revocation was redeemed */
  linkedAt: string;
  /** the latest redeemed hand-off */
  lastHandoffAt: string;
  /** the partner's latest leads read, null before the first */
  lastReadAt: string | null;
  readCount: number;
}

/** Made (or refreshed) when a hand-off code is redeemed: the member chose to sign in to AutoMailer. */
export const saveLink = async (
  doc: DocumentClient,
  membersTable: string,
  { memberId, clientId, now }: { memberId: string; clientId: string; now: Date },
): Promise<void> => {
  await doc.send(
    new UpdateCommand({
      TableName: membersTable,
      Key: automailerLinkKey(memberId),
      UpdateExpression:
        'SET memberId = :member, clientId = :client, linkedAt = if_not_exists(linkedAt, :now), lastHandoffAt = :now, readCount = if_not_exists(readCount, :zero)',
      ExpressionAttributeValues: {
        ':member': memberId,
        ':client': clientId,
        ':now': now.toISOString(),
        ':zero': 0,
      },
    }),
  );
};

export const readLink = async (
  doc: DocumentClient,
  membersTable: string,
  memberId: string,
): Promise<AutomailerLink | undefined> => {
  const { Item } = await doc.send(
    new GetCommand({ TableName: membersTable, Key: automailerLinkKey(memberId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    memberId: String(Item.memberId),
    clientId: String(Item.clientId),
    linkedAt: String(Item.linkedAt),
    lastHandoffAt: String(Item.lastHandoffAt),
    lastReadAt: typeof Item.lastReadAt === 'string' ? Item.lastReadAt : null,
    readCount: Number(Item.readCount ?? 0),
  };
};

/** Ends the link; reading afterwards is refused until the member hands off again. */
export const deleteLink = async (doc: DocumentClient, membersTable: string, memberId: string) => {
  await doc.send(new DeleteCommand({ TableName: membersTable, Key: automailerLinkKey(memberId) }));
};

/**
 * Records one partner read, on condition the member is linked with this client: the check and the record
 * are one conditional write, so a read after a revocation is refused. False when not linked.
 */
export const recordPartnerRead = async (
  doc: DocumentClient,
  membersTable: string,
  { memberId, clientId, now }: { memberId: string; clientId: string; now: Date },
): Promise<boolean> =>
  conditionalUpdate(doc, {
    TableName: membersTable,
    Key: automailerLinkKey(memberId),
    UpdateExpression: 'SET lastReadAt = :now ADD readCount :one',
    ConditionExpression: 'clientId = :client',
    ExpressionAttributeValues: { ':now': now.toISOString(), ':one': 1, ':client': clientId },
  });
