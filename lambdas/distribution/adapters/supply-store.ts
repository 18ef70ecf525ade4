import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { realSleep, type Sleep } from '../../shared/backoff';
import {
  addClauses,
  addCounters,
  addCountersOnce,
  type CounterDeltas,
  releaseCounterMarker,
} from '../../shared/counters';
import {
  batchGetAll,
  conditionalUpdate,
  type DocumentClient,
  isConditionalCheckFailed,
  queryAll,
} from '../../shared/dynamo';
import {
  GLOBAL_COUNTERS_KEY,
  LEAD_SK_PREFIX,
  type LeadItem,
  leadKey,
  type UploadItem,
  uploadKey,
  uploadStateIndexKeys,
  weekCountersKey,
} from '../../shared/model';
import { SUPPRESSED_REASON } from '../../suppression/domain/suppression';
import { exhaustMarker, LostRunError, runClaimsAttribute, type WindowEntry } from '../domain/run';
import type { RunFence, SupplyStore } from '../ports';
import { FENCE_CONDITION } from './fence';

/**
 * The supply side of a run in the uploads table (queued uploads, their leads) and the counters the control
 * table keeps of it. Handing a lead out is one conditional write on the lead.
 */
export class DynamoSupplyStore implements SupplyStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tables: { readonly uploads: string; readonly control: string },
    private readonly sleep: Sleep = realSleep,
  ) {}

  /** Queued uploads, oldest first (GSI byState: gsi1sk = createdAt#uploadId). */
  async queuedUploads(): Promise<UploadItem[]> {
    return queryAll<UploadItem>(this.doc, {
      TableName: this.tables.uploads,
      IndexName: 'byState',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': uploadStateIndexKeys('queued', '', '').gsi1pk },
      ScanIndexForward: true,
    });
  }

  /**
   * An upload's leads that can still be handed out (deliverable, below the assignment limit), and those
   * this run claimed already (so a resumed run can plan from where the run began), in file order, a page
   * at a time: the planner stops reading once everyone is served.
   */
  async *assignableLeads(
    uploadId: string,
    maxAssignmentsPerLead: number,
    runId: string | undefined,
  ): AsyncGenerator<LeadItem & Record<string, unknown>> {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.uploads,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :leads)',
          FilterExpression: `#status = :deliverable AND (attribute_not_exists(assignedCount) OR assignedCount < :max${runId ? ' OR attribute_exists(#claims)' : ''})`,
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(runId ? { '#claims': runClaimsAttribute(runId) } : {}),
          },
          ExpressionAttributeValues: {
            ':pk': uploadKey(uploadId).pk,
            ':leads': LEAD_SK_PREFIX,
            ':deliverable': 'deliverable',
            ':max': maxAssignmentsPerLead,
          },
          ExclusiveStartKey: cursor,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) yield item as LeadItem & Record<string, unknown>;
      cursor = page.LastEvaluatedKey;
    } while (cursor);
  }

  async leadsByKey(entries: readonly { uploadId: string; row: number }[]): Promise<LeadItem[]> {
    return batchGetAll<LeadItem>(
      this.doc,
      this.tables.uploads,
      entries.map((entry) => leadKey(entry.uploadId, entry.row)),
      { consistentRead: true, sleep: this.sleep },
    );
  }

  /**
   * Hands a lead to a member: ONE conditional write on the lead, which stays the only record that can
   * refuse it (not deliverable, at its limit, or already the member's). It also notes the member under
   * this run, so a resumed run knows which holders are its own, and takes the run's lock generation as
   * its fence: a run that lost the lock cannot claim a lead a newer run has touched.
   */
  async claimLead(
    entry: WindowEntry,
    runId: string,
    maxAssignmentsPerLead: number,
    fence: number,
  ): Promise<boolean> {
    return conditionalUpdate(this.doc, {
      TableName: this.tables.uploads,
      Key: leadKey(entry.uploadId, entry.row),
      UpdateExpression: 'ADD assignedCount :one, assignedTo :member, #claims :member SET fence = :fence',
      ConditionExpression: `#status = :deliverable AND (attribute_not_exists(assignedCount) OR assignedCount < :max) AND (attribute_not_exists(assignedTo) OR NOT contains(assignedTo, :memberId)) AND (${FENCE_CONDITION})`,
      ExpressionAttributeNames: { '#status': 'status', '#claims': runClaimsAttribute(runId) },
      ExpressionAttributeValues: {
        ':one': 1,
        ':member': new Set([entry.memberId]),
        ':memberId': entry.memberId,
        ':deliverable': 'deliverable',
        ':max': maxAssignmentsPerLead,
        ':fence': fence,
      },
    });
  }

  /**
   * Takes a suppressed lead no member has received out of the supply: rejected as `suppressed`, one slot
   * fewer deliverable on its upload and in the global counters. The counters go first, once per lead
   * (marker), then the lead: a crash in between leaves the lead deliverable and suppressed, so the next
   * run meets it again, finds its marker in flight (adds nothing) and finishes. False when the lead had
   * changed meanwhile (the counters are then put back).
   */
  async retireSuppressedLead(lead: LeadItem, maxAssignmentsPerLead: number): Promise<boolean> {
    const marker = `SUPPRESSED#${lead.uploadId}#${lead.row}`;
    const upload = uploadKey(lead.uploadId);
    const uploadDeltas = { deliverable: -1, undeliverable: 1 };
    const globalDeltas = {
      leadsDeliverable: -1,
      leadsUndeliverable: 1,
      leadsAvailable: -maxAssignmentsPerLead,
    };
    await addCountersOnce(this.doc, this.tables.uploads, upload, marker, uploadDeltas);
    await addCountersOnce(this.doc, this.tables.control, GLOBAL_COUNTERS_KEY, marker, globalDeltas);
    const retired = await conditionalUpdate(this.doc, {
      TableName: this.tables.uploads,
      Key: leadKey(lead.uploadId, lead.row),
      UpdateExpression: 'SET #status = :rejected, #reason = :reason',
      ConditionExpression: '#status = :deliverable AND attribute_not_exists(assignedCount)',
      ExpressionAttributeNames: { '#status': 'status', '#reason': 'reason' },
      ExpressionAttributeValues: {
        ':rejected': 'rejected',
        ':reason': SUPPRESSED_REASON,
        ':deliverable': 'deliverable',
      },
    });
    if (!retired) {
      await addCounters(this.doc, this.tables.uploads, upload, negated(uploadDeltas));
      await addCounters(this.doc, this.tables.control, GLOBAL_COUNTERS_KEY, negated(globalDeltas));
    }
    await releaseCounterMarker(this.doc, this.tables.uploads, upload, marker);
    await releaseCounterMarker(this.doc, this.tables.control, GLOBAL_COUNTERS_KEY, marker);
    return retired;
  }

  /** ADDs a window's counts to the global, week and upload counters, once per marker each, fenced. */
  async addWindowCounters(
    marker: string,
    weekKey: string,
    assigned: number,
    perUpload: ReadonlyMap<string, number>,
    run: RunFence,
  ): Promise<void> {
    if (assigned === 0) return;
    await Promise.all([
      this.addCountersOnceFenced('control', GLOBAL_COUNTERS_KEY, marker, run, {
        leadsAssigned: assigned,
        leadsAvailable: -assigned,
      }),
      this.addCountersOnceFenced('control', weekCountersKey(weekKey), marker, run, {
        leadsAssigned: assigned,
      }),
      ...[...perUpload].map(([uploadId, count]) =>
        this.addCountersOnceFenced('uploads', uploadKey(uploadId), marker, run, { assigned: count }),
      ),
    ]);
  }

  /**
   * The counters' add-once step (ADD the deltas, put the marker in flight, unless it is there already)
   * with the run's lock generation as the item's fence: a run that lost the lock to a newer one is refused
   * (LostRunError) and adds nothing; its retry, holding a newer generation, adds the window once.
   */
  private async addCountersOnceFenced(
    table: 'control' | 'uploads',
    key: Record<string, string>,
    marker: string,
    { fence, runId }: RunFence,
    deltas: CounterDeltas,
  ): Promise<void> {
    const { clauses, names, values } = addClauses(deltas);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables[table],
          Key: key,
          UpdateExpression: `ADD ${[...clauses, '#inflight :marker'].join(', ')} SET fence = :fence`,
          ConditionExpression: `(attribute_not_exists(#inflight) OR NOT contains(#inflight, :markerValue)) AND (${FENCE_CONDITION})`,
          ExpressionAttributeNames: { ...names, '#inflight': 'inflight' },
          ExpressionAttributeValues: {
            ...values,
            ':marker': new Set([marker]),
            ':markerValue': marker,
            ':fence': fence,
          },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // Refused: the marker was in flight already (added before, nothing to do) or a newer run fenced it.
      if ((await this.fenceOf(table, key)) > fence) throw new LostRunError(runId);
    }
  }

  private async fenceOf(table: 'control' | 'uploads', key: Record<string, string>): Promise<number> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tables[table],
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: 'fence',
      }),
    );
    return Number(Item?.fence ?? 0);
  }

  /**
   * Moves a queued upload to `exhausted` (out of the queued index) and takes it off the queued count once.
   * Safe to repeat: an upload this run exhausted earlier only gets its (idempotent) counter step again.
   * Both writes are fenced by the run's lock generation: a run that lost the lock is refused (LostRunError).
   */
  async exhaustUpload(
    upload: Pick<UploadItem, 'uploadId' | 'createdAt'>,
    run: RunFence,
    now: string,
  ): Promise<void> {
    const { runId, fence } = run;
    const moved = await conditionalUpdate(this.doc, {
      TableName: this.tables.uploads,
      Key: uploadKey(upload.uploadId),
      UpdateExpression:
        'SET #state = :exhausted, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, updatedAt = :now, exhaustedByRun = :run, fence = :fence',
      ConditionExpression: `#state = :queued AND (${FENCE_CONDITION})`,
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ...Object.fromEntries(
          Object.entries(uploadStateIndexKeys('exhausted', upload.createdAt, upload.uploadId)).map(
            ([name, value]) => [`:${name}`, value],
          ),
        ),
        ':exhausted': 'exhausted',
        ':queued': 'queued',
        ':now': now,
        ':run': runId,
        ':fence': fence,
      },
    });
    if (!moved) {
      const { Item } = await this.doc.send(
        new GetCommand({
          TableName: this.tables.uploads,
          Key: uploadKey(upload.uploadId),
          ConsistentRead: true,
        }),
      );
      const found = Item as { exhaustedByRun?: string; fence?: number } | undefined;
      if (Number(found?.fence ?? 0) > fence) throw new LostRunError(runId);
      if (found?.exhaustedByRun !== runId) return;
    }
    await this.addCountersOnceFenced('control', GLOBAL_COUNTERS_KEY, exhaustMarker(upload.uploadId), run, {
      queuedUploads: -1,
    });
  }

  /** Takes a run's markers out of a counter item's in-flight set (one write per item), fenced. */
  async releaseMarkers(
    table: 'control' | 'uploads',
    key: Record<string, string>,
    markers: readonly string[],
    { fence, runId }: RunFence,
  ) {
    if (markers.length === 0) return;
    const released = await conditionalUpdate(this.doc, {
      TableName: this.tables[table],
      Key: key,
      UpdateExpression: 'DELETE #inflight :markers SET fence = :fence',
      ConditionExpression: FENCE_CONDITION,
      ExpressionAttributeNames: { '#inflight': 'inflight' },
      ExpressionAttributeValues: { ':markers': new Set(markers), ':fence': fence },
    });
    if (!released) throw new LostRunError(runId);
  }

  async globalCounters(): Promise<Record<string, unknown>> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tables.control, Key: GLOBAL_COUNTERS_KEY }),
    );
    return Item ?? {};
  }
}

const negated = (deltas: CounterDeltas): CounterDeltas =>
  Object.fromEntries(Object.entries(deltas).map(([name, delta]) => [name, -delta]));
