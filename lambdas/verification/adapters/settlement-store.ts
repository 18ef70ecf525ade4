import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../../shared/concurrency';
import { addCountersOnceEach, type MarkedDeltas, releaseCounterMarker } from '../../shared/counters';
import {
  type CountingClaim,
  claimClauses,
  conditional,
  endClaim,
  NO_CLAIM,
  takeOverClaim,
} from '../../shared/counting-claim';
import { batchGetAll, type DocumentClient } from '../../shared/dynamo';
import {
  GLOBAL_COUNTERS_KEY,
  LEAD_SK_PREFIX,
  type LeadItem,
  type LeadStatus,
  leadKey,
  uploadKey,
  type VerificationMessage,
} from '../../shared/model';
import { queueUploadIfSettled } from '../../shared/upload-state';
import type { Verdict, VerificationPolicy } from '../domain/policy';
import {
  type FinalStatus,
  globalDeltas,
  leadMarker,
  type OwnedLead,
  UnknownLeadsError,
  uploadDeltas,
} from '../domain/settlement';
import { verificationMessageBody } from '../message';
import type { RecheckQueue, SettlementStore } from '../ports';

export interface SettlementConfig {
  doc: DocumentClient;
  sqs: Pick<SQSClient, 'send'>;
  tables: { uploads: string; control: string };
  /** The verification queue itself: re-checks go back to it with a message timer. */
  queueUrl: string;
  /** How long a re-check waits (the policy's delay). */
  policy: Pick<VerificationPolicy, 'recheckDelaySeconds'>;
  /** Each deliverable lead adds this many slots to the global `leadsAvailable`. */
  maxAssignmentsPerLead: number;
  now?: () => number;
}

/** Parallel writes per message: well inside the SDK's socket pool, light on one partition. */
const WRITE_CONCURRENCY = 16;

const keyOf = (lead: Pick<LeadItem, 'uploadId' | 'row'>) => leadKey(lead.uploadId, lead.row);

/** The DynamoDB side of settling (uploads and control tables) and the SQS side of re-checks. */
export const dynamoSettlement = (
  config: SettlementConfig,
): { store: SettlementStore; recheckQueue: RecheckQueue } => ({
  store: new DynamoSettlementStore(config),
  recheckQueue: {
    // The re-check travels as a new message with the queue's own timer: no invocation waits for it.
    sendRecheck: async (uploadId, leads) => {
      await config.sqs.send(
        new SendMessageCommand({
          QueueUrl: config.queueUrl,
          MessageBody: verificationMessageBody({
            uploadId,
            leads: leads.map((lead) => ({ row: lead.row, email: lead.email })),
            recheck: true,
          }),
          DelaySeconds: config.policy.recheckDelaySeconds,
        }),
      );
    },
  },
});

/** The settling half alone (no re-checks), for settling leads outside a verification message. */
export type SettlementStoreConfig = Pick<
  SettlementConfig,
  'doc' | 'tables' | 'maxAssignmentsPerLead' | 'now'
>;

export class DynamoSettlementStore implements SettlementStore {
  constructor(private readonly deps: SettlementStoreConfig) {}

  /** One BatchGetItem (consistent); every row must exist. */
  async readLeads(message: VerificationMessage): Promise<LeadItem[]> {
    const rows = [...new Set(message.leads.map((lead) => lead.row))];
    const items = await batchGetAll<LeadItem>(
      this.deps.doc,
      this.deps.tables.uploads,
      rows.map((row) => leadKey(message.uploadId, row)),
      { consistentRead: true },
    );
    const found = new Map(items.map((lead) => [lead.row, lead]));
    const missing = rows.filter((row) => !found.has(row));
    if (missing.length > 0) throw new UnknownLeadsError(message.uploadId, missing);
    return rows.map((row) => found.get(row) as LeadItem);
  }

  takeOver(lead: LeadItem, left: CountingClaim, claim: CountingClaim, now: number): Promise<boolean> {
    return takeOverClaim(this.deps.doc, this.deps.tables.uploads, keyOf(lead), left, claim, now);
  }

  queueUploadIfSettled(uploadId: string, remainingMs: number) {
    return queueUploadIfSettled(this.deps.doc, this.deps.tables, uploadId, {
      remainingMs,
      now: this.deps.now ?? Date.now,
    });
  }

  /** The lead waits for its re-check: the admin sees why; no counter changes (it is still pending). */
  markForRecheck(lead: LeadItem, verdict: Verdict, now: number): Promise<boolean> {
    const deps = this.deps;
    return conditional(
      deps.doc.send(
        new UpdateCommand({
          TableName: deps.tables.uploads,
          Key: keyOf(lead),
          UpdateExpression:
            'SET #status = :recheck, #reason = :reason, rawClass = :rawClass, verifiedAt = :now',
          ConditionExpression: `#status = :pending AND ${NO_CLAIM.condition}`,
          ExpressionAttributeNames: { '#status': 'status', '#reason': 'reason', ...NO_CLAIM.names },
          ExpressionAttributeValues: {
            ':recheck': 'recheck',
            ':pending': 'pending',
            ':reason': verdict.reason,
            ':rawClass': verdict.rawClass,
            ':now': new Date(now).toISOString(),
          },
        }),
      ),
    );
  }

  /**
   * Step 1 of the counting protocol for one lead: its final status, reason and raw class, and this call's
   * counting claim, in one write, on condition that it is still unsettled and unclaimed.
   */
  settle(
    lead: LeadItem,
    verdict: Verdict,
    claim: CountingClaim,
    expected: readonly LeadStatus[],
    now: number,
  ): Promise<boolean> {
    const deps = this.deps;
    const claimed = claimClauses(claim);
    const typo = verdict.flags.typoSuggestion;
    const statusValues = Object.fromEntries(expected.map((status, index) => [`:expected${index}`, status]));
    return conditional(
      deps.doc.send(
        new UpdateCommand({
          TableName: deps.tables.uploads,
          Key: keyOf(lead),
          UpdateExpression: [
            'SET #status = :status, #reason = :reason, rawClass = :rawClass, roleBased = :roleBased',
            'verifiedAt = :now',
            ...(typo ? ['typoSuggestion = :typo'] : []),
            claimed.set,
          ].join(', '),
          ConditionExpression: `#status IN (${Object.keys(statusValues).join(', ')}) AND ${claimed.noClaimCondition}`,
          ExpressionAttributeNames: { '#status': 'status', '#reason': 'reason', ...claimed.names },
          ExpressionAttributeValues: {
            ':status': verdict.outcome,
            ':reason': verdict.reason,
            ':rawClass': verdict.rawClass,
            ':roleBased': verdict.flags.roleBased,
            ':now': new Date(now).toISOString(),
            ...(typo ? { ':typo': typo } : {}),
            ...statusValues,
            ...claimed.values,
          },
        }),
      ),
    );
  }

  /**
   * Steps 2-4 of the counting protocol for every lead this call owns: add the upload's and the global
   * counters once (one write each per 50 leads), end each lead's claim, then release the markers of the
   * leads whose claim we ended (a lead taken over by another worker is that worker's to release).
   */
  async countSettled(uploadId: string, owned: readonly OwnedLead[], claim: CountingClaim): Promise<void> {
    const deps = this.deps;
    if (owned.length === 0) return;
    const entries = (deltasOf: (status: FinalStatus) => Record<string, number>): MarkedDeltas[] =>
      owned.map(({ lead, status }) => ({ marker: leadMarker(uploadId, lead.row), deltas: deltasOf(status) }));
    await addCountersOnceEach(deps.doc, deps.tables.uploads, uploadKey(uploadId), entries(uploadDeltas));
    await addCountersOnceEach(
      deps.doc,
      deps.tables.control,
      GLOBAL_COUNTERS_KEY,
      entries((status) => globalDeltas(status, deps.maxAssignmentsPerLead)),
    );
    const ended = await mapWithConcurrency(owned, WRITE_CONCURRENCY, ({ lead }) =>
      endClaim(deps.doc, deps.tables.uploads, keyOf(lead), claim),
    );
    await this.releaseMarkers(
      uploadId,
      owned.filter((_, index) => ended[index]).map(({ lead }) => lead),
    );
  }

  /**
   * Step 4, for leads whose counting is done. Also run for leads a redelivery finds settled and unclaimed:
   * a delivery that crashed between ending the claim and releasing would otherwise leave their markers in
   * `inflight` for good. Safe, since nobody can count such a lead again (that needs a claim).
   */
  async releaseMarkers(uploadId: string, leads: readonly LeadItem[]): Promise<void> {
    const deps = this.deps;
    const markers = leads.map((lead) => leadMarker(uploadId, lead.row));
    await releaseCounterMarker(deps.doc, deps.tables.uploads, uploadKey(uploadId), markers);
    await releaseCounterMarker(deps.doc, deps.tables.control, GLOBAL_COUNTERS_KEY, markers);
  }
}

/** An upload's leads still waiting for an answer (pending, or awaiting their re-check), a page at a time. */
export async function* unsettledLeadPages(
  doc: DocumentClient,
  uploadsTable: string,
  uploadId: string,
): AsyncGenerator<LeadItem[]> {
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: uploadsTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :leads)',
        FilterExpression: '#status IN (:pending, :recheck)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pk': uploadKey(uploadId).pk,
          ':leads': LEAD_SK_PREFIX,
          ':pending': 'pending',
          ':recheck': 'recheck',
        },
        ExclusiveStartKey: cursor,
        ConsistentRead: true,
      }),
    );
    yield (page.Items ?? []) as LeadItem[];
    cursor = page.LastEvaluatedKey;
  } while (cursor);
}
