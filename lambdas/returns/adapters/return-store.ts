import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { readLedgerEntries, readMemberWeek } from '../../members/adapters/member-reads';
import { addCountersOnceEach, releaseCounterMarker } from '../../shared/counters';
import {
  type CountingClaim,
  claimClauses,
  claimOf,
  conditional,
  endClaim,
  takeOverClaim,
} from '../../shared/counting-claim';
import { type DocumentClient, isConditionalCheckFailed } from '../../shared/dynamo';
import {
  ASSIGNMENT_SK_PREFIX,
  type AssignmentItem,
  GLOBAL_COUNTERS_KEY,
  type LeadItem,
  leadKey,
  memberKey,
  RETURN_SK_PREFIX,
  type ReturnItem,
  RUN_PK,
  returnKey,
  returnQueueIndexKeys,
  returnWeekKey,
} from '../../shared/model';
import { byCodeUnit } from '../../shared/order';
import type { ReturnState } from '../domain/returns';

export interface ReturnTables {
  readonly members: string;
  readonly control: string;
}

/**
 * Returns in DynamoDB. A return lives in its member's partition (`returnKey`), in the admins' queue through
 * the members table's `returns` index, and counts against the member's cap in a per-week item whose set of
 * return ids makes the count exact. Each state change carries a counting claim with its marker and deltas
 * (counting-claim.ts), so the global counters and the member's owed replacements change once.
 */
export class DynamoReturnStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tables: ReturnTables,
  ) {}

  /** The member's delivery of the lead with this address at or after `since` (a Query of their partition). */
  async delivery(
    memberId: string,
    email: string,
    range: { from: string; to: string },
  ): Promise<AssignmentItem | undefined> {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.members,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          FilterExpression: 'email = :email',
          ExpressionAttributeValues: {
            ':pk': memberKey(memberId).pk,
            ':from': `${ASSIGNMENT_SK_PREFIX}${range.from}`,
            ':to': `${ASSIGNMENT_SK_PREFIX}${range.to}`,
            ':email': email,
          },
          ExclusiveStartKey: cursor,
        }),
      );
      const found = page.Items?.[0];
      if (found) return found as AssignmentItem;
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return undefined;
  }

  /** The week a run counted its deliveries in (the control table's byRunId index). */
  async weekOfRun(runId: string): Promise<string | undefined> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.control,
        IndexName: 'byRunId',
        KeyConditionExpression: 'runId = :run AND pk = :pk',
        ExpressionAttributeValues: { ':run': runId, ':pk': RUN_PK },
      }),
    );
    return Items?.[0]?.weekKey as string | undefined;
  }

  /** What the week's ledger entry says the member received; a week from before the ledger, its tally. */
  async receivedInWeek(memberId: string, weekKey: string): Promise<number> {
    const [entry] = await readLedgerEntries(this.doc, this.tables.members, memberId, [weekKey]);
    if (entry) return entry.received;
    return (await readMemberWeek(this.doc, this.tables.members, memberId, weekKey))?.received ?? 0;
  }

  /**
   * Counts the return against the member's cap for the week: one conditional ADD that refuses once `cap`
   * returns are in. True when counted (now or by an earlier attempt of the same return).
   */
  async countAgainstCap(memberId: string, weekKey: string, returnId: string, cap: number): Promise<boolean> {
    const key = returnWeekKey(memberId, weekKey);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.members,
          Key: key,
          UpdateExpression: 'ADD filed :one, returnIds :ids',
          ConditionExpression:
            '(attribute_not_exists(filed) OR filed < :cap) AND (attribute_not_exists(returnIds) OR NOT contains(returnIds, :id))',
          ExpressionAttributeValues: { ':one': 1, ':ids': new Set([returnId]), ':id': returnId, ':cap': cap },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.tables.members, Key: key, ConsistentRead: true }),
      );
      return ((Item?.returnIds as Set<string> | undefined) ?? new Set()).has(returnId);
    }
  }

  async get(ref: { memberId: string; uploadId: string; row: number }): Promise<ReturnItem | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tables.members,
        Key: returnKey(ref.memberId, ref.uploadId, ref.row),
        ConsistentRead: true,
      }),
    );
    return Item as ReturnItem | undefined;
  }

  /** Records a new return with its counting claim; false when the member returned this lead before. */
  async create(item: ReturnItem, claim: CountingClaim): Promise<boolean> {
    return conditional(
      this.doc.send(
        new PutCommand({
          TableName: this.tables.members,
          Item: { ...item, ...claimAttributes(claim) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /** pending -> approved/refused with its counting claim, on condition it is pending and unclaimed. */
  async decide(
    item: ReturnItem,
    decision: Pick<
      ReturnItem,
      'decidedAt' | 'decidedBy' | 'note' | 'countMarker' | 'countGlobal' | 'countMember'
    > & {
      state: Exclude<ReturnState, 'pending'>;
    },
    claim: CountingClaim,
  ): Promise<boolean> {
    const claimed = claimClauses(claim);
    const index = returnQueueIndexKeys(decision.state, item.createdAt, item.returnId);
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tables.members,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: [
            'SET #state = :state, decidedAt = :at, decidedBy = :by, gsi4pk = :gsi4pk, gsi4sk = :gsi4sk',
            'countMarker = :marker, countGlobal = :global',
            decision.countMember ? 'countMember = :member' : undefined,
            decision.note === undefined ? undefined : 'note = :note',
            claimed.set,
          ]
            .filter(Boolean)
            .join(', '),
          ConditionExpression: `#state = :pending AND ${claimed.noClaimCondition}`,
          ExpressionAttributeNames: { '#state': 'state', ...claimed.names },
          ExpressionAttributeValues: {
            ':state': decision.state,
            ':pending': 'pending',
            ':at': decision.decidedAt,
            ':by': decision.decidedBy,
            ':gsi4pk': index.gsi4pk,
            ':gsi4sk': index.gsi4sk,
            ':marker': decision.countMarker,
            ':global': decision.countGlobal,
            ...(decision.countMember ? { ':member': decision.countMember } : {}),
            ...(decision.note === undefined ? {} : { ':note': decision.note }),
            ...claimed.values,
          },
        }),
      ),
    );
  }

  /**
   * Steps 2-4 of the counting protocol for the counting the return carries: the global counters and, for
   * an approval, the member's owed replacement (with a new version, so a concurrent profile write re-reads
   * it), each once under the marker; then the claim ends and the markers are released.
   */
  async finishCounting(item: ReturnItem, claim: CountingClaim): Promise<void> {
    const marker = item.countMarker;
    if (!marker) return;
    await addCountersOnceEach(this.doc, this.tables.control, GLOBAL_COUNTERS_KEY, [
      { marker, deltas: item.countGlobal ?? {} },
    ]);
    if (item.countMember) {
      await addCountersOnceEach(this.doc, this.tables.members, memberKey(item.memberId), [
        { marker, deltas: item.countMember },
      ]);
    }
    if (await endClaim(this.doc, this.tables.members, { pk: item.pk, sk: item.sk }, claim)) {
      await releaseCounterMarker(this.doc, this.tables.control, GLOBAL_COUNTERS_KEY, marker);
      if (item.countMember) {
        await releaseCounterMarker(this.doc, this.tables.members, memberKey(item.memberId), marker);
      }
    }
  }

  /** Takes over a claim whose lease ran out; false when someone else holds or ended it. */
  takeOver(item: ReturnItem, claim: CountingClaim, now: number): Promise<boolean> {
    const left = claimOf(item as unknown as Record<string, unknown>);
    if (!left || left.until >= now) return Promise.resolve(false);
    return takeOverClaim(this.doc, this.tables.members, { pk: item.pk, sk: item.sk }, left, claim, now);
  }

  /** A member's returns (their partition), newest first. */
  async ofMember(memberId: string): Promise<ReturnItem[]> {
    const items: ReturnItem[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.members,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': memberKey(memberId).pk, ':prefix': RETURN_SK_PREFIX },
          ExclusiveStartKey: cursor,
        }),
      );
      items.push(...((page.Items ?? []) as ReturnItem[]));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return items.sort((a, b) => byCodeUnit(b.createdAt, a.createdAt));
  }

  /** The admins' queue for one state, oldest first, a page at a time. */
  async queue(
    state: ReturnState,
    page: { limit: number; cursor?: Record<string, unknown> },
  ): Promise<{ items: ReturnItem[]; next?: Record<string, unknown> }> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.members,
        IndexName: 'returns',
        KeyConditionExpression: 'gsi4pk = :pk',
        ExpressionAttributeValues: { ':pk': returnQueueIndexKeys(state, '', '').gsi4pk },
        Limit: page.limit,
        ExclusiveStartKey: page.cursor,
      }),
    );
    return { items: (result.Items ?? []) as ReturnItem[], next: result.LastEvaluatedKey };
  }
}

const claimAttributes = (claim: CountingClaim) => {
  const { names, values } = claimClauses(claim);
  return {
    [names['#claimToken']]: values[':claimToken'],
    [names['#claimUntil']]: values[':claimUntil'],
  };
};

/**
 * Takes the lead out of circulation for an approved return: `returned`, so no run offers it again. Its
 * slots not handed out leave the supply; the lead records which return took them and how many, so a
 * retry counts the same number. Returns the slots taken (0 when another return took the lead first).
 */
export const retireReturnedLead = async (
  doc: DocumentClient,
  uploadsTable: string,
  maxAssignmentsPerLead: number,
  item: Pick<ReturnItem, 'uploadId' | 'row' | 'returnId'>,
): Promise<number> => {
  const key = leadKey(item.uploadId, item.row);
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const { Item } = await doc.send(
      new GetCommand({ TableName: uploadsTable, Key: key, ConsistentRead: true }),
    );
    const lead = Item as (LeadItem & { retiredBy?: string; retiredSlots?: number }) | undefined;
    if (!lead) return 0;
    if (lead.status === 'returned') return lead.retiredBy === item.returnId ? (lead.retiredSlots ?? 0) : 0;
    if (lead.status !== 'deliverable') return 0;
    const seen = lead.assignedCount ?? 0;
    const slots = Math.max(0, maxAssignmentsPerLead - seen);
    const retired = await conditional(
      doc.send(
        new UpdateCommand({
          TableName: uploadsTable,
          Key: key,
          UpdateExpression: 'SET #status = :returned, retiredBy = :by, retiredSlots = :slots',
          ConditionExpression:
            '#status = :deliverable AND (attribute_not_exists(assignedCount) OR assignedCount = :seen)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':returned': 'returned',
            ':deliverable': 'deliverable',
            ':by': item.returnId,
            ':slots': slots,
            ':seen': seen,
          },
        }),
      ),
    );
    if (retired) return slots;
  }
  throw new Error(`Lead ${item.uploadId}#${item.row} kept changing while its return was approved`);
};
