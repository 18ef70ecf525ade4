import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { addClauses, type CounterDeltas } from '../../shared/counters';
import { type DocumentClient, isConditionalCheckFailed } from '../../shared/dynamo';
import {
  ELIGIBLE_INDEX_PK,
  eligibilityPrefix,
  GLOBAL_COUNTERS_KEY,
  MEMBER_DIRECTORY_PK,
  type MemberItem,
  memberTierIndexKeys,
  NOT_ELIGIBLE_INDEX_PK,
} from '../../shared/model';
import type { CounterIntent, MemberRecords } from '../ports';
import { getMember } from './member-profile';

const intentAttribute = (marker: string) => `intent#${marker}`;
const INTENT_PREFIX = 'intent#';

/**
 * Members in DynamoDB: profiles in the members table (version-conditioned puts), counter intents on the
 * global counters item of the control table.
 */
export class DynamoMemberRecords implements MemberRecords {
  constructor(
    private readonly deps: {
      readonly doc: DocumentClient;
      readonly membersTable: string;
      readonly controlTable: string;
    },
  ) {}

  async get(memberId: string): Promise<MemberItem | undefined> {
    return (await getMember(this.deps.doc, this.deps.membersTable, memberId)) as MemberItem | undefined;
  }

  async putIfVersion(item: MemberItem, expectedVersion: number | undefined): Promise<boolean> {
    try {
      await this.deps.doc.send(
        new PutCommand({
          TableName: this.deps.membersTable,
          Item: item,
          ConditionExpression:
            expectedVersion !== undefined ? '#version = :version' : 'attribute_not_exists(pk)',
          ...(expectedVersion !== undefined
            ? {
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': expectedVersion },
              }
            : {}),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async counterIntents(): Promise<Array<{ marker: string; intent: CounterIntent }>> {
    const { Item } = await this.deps.doc.send(
      new GetCommand({ TableName: this.deps.controlTable, Key: GLOBAL_COUNTERS_KEY, ConsistentRead: true }),
    );
    return Object.entries(Item ?? {})
      .filter(([attribute]) => attribute.startsWith(INTENT_PREFIX))
      .map(([attribute, value]) => ({
        marker: attribute.slice(INTENT_PREFIX.length),
        intent: value as CounterIntent,
      }));
  }

  async applyCounterIntent(marker: string, intent: CounterIntent): Promise<boolean> {
    const { clauses, names, values } = addClauses(intent.deltas);
    try {
      await this.deps.doc.send(
        new UpdateCommand({
          TableName: this.deps.controlTable,
          Key: GLOBAL_COUNTERS_KEY,
          UpdateExpression: `ADD ${[...clauses, '#inflight :markerSet'].join(', ')} SET #intent = :intent`,
          ConditionExpression: 'attribute_not_exists(#inflight) OR NOT contains(#inflight, :marker)',
          ExpressionAttributeNames: { ...names, '#inflight': 'inflight', '#intent': intentAttribute(marker) },
          ExpressionAttributeValues: {
            ...values,
            ':markerSet': new Set([marker]),
            ':marker': marker,
            ':intent': intent,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async settleCounterIntent(marker: string, deltas: CounterDeltas, how: 'keep' | 'revert'): Promise<void> {
    const negated = Object.fromEntries(Object.entries(deltas).map(([name, delta]) => [name, -delta]));
    const { clauses, names, values } = addClauses(how === 'revert' ? negated : {});
    try {
      await this.deps.doc.send(
        new UpdateCommand({
          TableName: this.deps.controlTable,
          Key: GLOBAL_COUNTERS_KEY,
          UpdateExpression: `${clauses.length ? `ADD ${clauses.join(', ')} ` : ''}DELETE #inflight :markerSet REMOVE #intent`,
          ConditionExpression: 'contains(#inflight, :marker)',
          ExpressionAttributeNames: { ...names, '#inflight': 'inflight', '#intent': intentAttribute(marker) },
          ExpressionAttributeValues: { ...values, ':markerSet': new Set([marker]), ':marker': marker },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  /**
   * Members a page at a time, each filter one index Query: a tier (optionally narrowed to eligible or not)
   * reads `byTier`, eligibility alone reads `eligible`, no filter reads the directory (by id).
   */
  async list(options: Parameters<MemberRecords['list']>[0]) {
    const { eligible, tier } = options;
    const query =
      tier !== undefined
        ? {
            IndexName: 'byTier',
            KeyConditionExpression:
              eligible === undefined ? 'gsi3pk = :pk' : 'gsi3pk = :pk AND begins_with(gsi3sk, :prefix)',
            ExpressionAttributeValues: {
              ':pk': memberTierIndexKeys(tier, false, '').gsi3pk,
              ...(eligible === undefined ? {} : { ':prefix': eligibilityPrefix(eligible) }),
            },
          }
        : eligible !== undefined
          ? {
              IndexName: 'eligible',
              KeyConditionExpression: 'gsi1pk = :pk',
              ExpressionAttributeValues: { ':pk': eligible ? ELIGIBLE_INDEX_PK : NOT_ELIGIBLE_INDEX_PK },
            }
          : {
              IndexName: 'directory',
              KeyConditionExpression: 'gsi2pk = :pk',
              ExpressionAttributeValues: { ':pk': MEMBER_DIRECTORY_PK },
            };
    const { Items, LastEvaluatedKey } = await this.deps.doc.send(
      new QueryCommand({
        TableName: this.deps.membersTable,
        ...query,
        Limit: options.limit,
        ExclusiveStartKey: options.cursor,
      }),
    );
    return { items: (Items ?? []) as MemberItem[], next: LastEvaluatedKey };
  }
}
