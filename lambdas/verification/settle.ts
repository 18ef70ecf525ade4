import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../shared/concurrency';
import { addCountersOnceEach, type MarkedDeltas, releaseCounterMarker } from '../shared/counters';
import {
  type CountingClaim,
  claimClauses,
  claimOf,
  conditional,
  endClaim,
  NO_CLAIM,
  newClaim,
  takeOverClaim,
} from '../shared/counting-claim';
import {
  GLOBAL_COUNTERS_KEY,
  type GlobalCounters,
  type LeadItem,
  type LeadStatus,
  leadKey,
  type UploadCounters,
  uploadKey,
  type VerificationMessage,
} from '../shared/model';
import { type QueueUploadOutcome, queueUploadIfSettled } from '../shared/upload-state';
import {
  PermanentVerifierError,
  TransientVerifierError,
  type VerifierClient,
  type VerifyBatchOptions,
} from './adapters/verifier-client';
import { classify, type Verdict, type VerificationPolicy } from './domain/policy';
import type { VerifierAnswer } from './domain/verifier-schema';
import { verificationMessageBody } from './message';

export interface SettleDependencies {
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  verifier: VerifierClient;
  policy: VerificationPolicy;
  tables: { uploads: string; control: string };
  /** The verification queue itself: re-checks go back to it with a message timer. */
  queueUrl: string;
  /** Each deliverable lead adds this many slots to the global `leadsAvailable`. */
  maxAssignmentsPerLead: number;
  now?: () => number;
}

/** The invocation's time left, and who hears of each verifier attempt: handed to the verifier client as is. */
export type SettleOptions = VerifyBatchOptions;

export interface SettleReport {
  uploadId: string;
  deliverable: number;
  rejected: number;
  /** Domain failures sent back to the queue for their one delayed re-check. */
  recheckScheduled: number;
  /** Leads a crashed earlier delivery had settled but not yet counted: counted now. */
  resumed: number;
  /** Leads settled before (a redelivery), awaiting their re-check, or being counted by a live worker. */
  skipped: number;
  /** `deliverable` and `rejected` split by the policy's reason: the leads this call counted, once each. */
  byReason: Record<FinalStatus, Record<string, number>>;
  upload: QueueUploadOutcome;
}

/**
 * Some leads could not be settled by this delivery (verifier unreachable, refused or unclear): the record
 * fails, SQS delivers it again after the visibility timeout, and after `maxReceiveCount` parks it in the DLQ.
 * The leads settled meanwhile are kept and not redone.
 */
export class UnsettledLeadsError extends Error {
  constructor(
    readonly unsettled: number,
    readonly reason: string,
    readonly report: SettleReport,
  ) {
    super(`${unsettled} lead(s) of upload ${report.uploadId} left unsettled: ${reason}`);
    this.name = 'UnsettledLeadsError';
  }
}

/** A message names leads that were never stored: it can never be settled. */
export class UnknownLeadsError extends Error {
  constructor(
    readonly uploadId: string,
    readonly rows: number[],
  ) {
    super(`Upload ${uploadId} has no lead at row(s) ${rows.slice(0, 10).join(', ')}`);
    this.name = 'UnknownLeadsError';
  }
}

/** Parallel writes per message: well inside the SDK's socket pool, light on one partition. */
const WRITE_CONCURRENCY = 16;

type FinalStatus = Extract<LeadStatus, 'deliverable' | 'rejected'>;

/** A lead whose counting this call owns: settled by it, or resumed from a crashed delivery. */
interface OwnedLead {
  lead: LeadItem;
  status: FinalStatus;
  reason: string;
}

/**
 * Settles the leads of one verification message, so that any delivery of it, any number of times, has the
 * effect of one.
 * Steps: read the message's leads (consistent) -> resume the counting of leads a crashed delivery left
 * claimed (lease over), skip leads already settled or awaiting their re-check -> ask the verifier about the
 * rest (one batch request) -> classify each answer with the policy -> domain failures: send one delayed
 * re-check message, then mark those leads `recheck` (still pending in every counter) -> the others: set
 * status, reason and raw class with a counting claim, on condition the lead is still unsettled -> add the
 * upload's and the global counters once for every lead this call owns -> end the claims, release the
 * markers -> queue the upload if that was its last lead -> fail the record if any lead is left unsettled.
 */
export const settleVerificationMessage = async (
  deps: SettleDependencies,
  message: VerificationMessage,
  options: SettleOptions,
): Promise<SettleReport> => {
  const now = deps.now ?? Date.now;
  const { uploadId } = message;
  const leads = await readLeads(deps, message);
  const claim = newClaim(now(), options.remainingMs());
  const expected: LeadStatus[] = message.recheck ? ['pending', 'recheck'] : ['pending'];
  const report: SettleReport = {
    uploadId,
    deliverable: 0,
    rejected: 0,
    recheckScheduled: 0,
    resumed: 0,
    skipped: 0,
    byReason: { deliverable: {}, rejected: {} },
    upload: 'not-ready',
  };

  const owned: OwnedLead[] = [];
  const toVerify: LeadItem[] = [];
  const counted: LeadItem[] = [];
  for (const lead of leads) {
    const left = claimOf(lead as unknown as Record<string, unknown>);
    if (left) {
      const resumable =
        left.until < now() &&
        (await takeOverClaim(deps.doc, deps.tables.uploads, keyOf(lead), left, claim, now()));
      if (resumable) {
        // The reason was written with the status, by the delivery that crashed before counting.
        owned.push({ lead, status: lead.status as FinalStatus, reason: lead.reason ?? 'unknown' });
        report.resumed++;
      } else {
        // A live worker is counting it and will queue the upload if it was the last; if that worker
        // crashes, its own message comes back and resumes here once the lease has run out.
        report.skipped++;
      }
    } else if (expected.includes(lead.status)) {
      toVerify.push(lead);
    } else {
      if (lead.status === 'deliverable' || lead.status === 'rejected') counted.push(lead);
      report.skipped++;
    }
  }

  const { answers, failure } = await verify(deps.verifier, toVerify, options);
  const finals: { lead: LeadItem; verdict: Verdict }[] = [];
  const rechecks: { lead: LeadItem; verdict: Verdict }[] = [];
  let held = 0;
  for (const lead of toVerify) {
    const answer = answers.get(lead.email);
    if (!answer) continue; // the verifier failure below accounts for it
    const verdict = classify(answer, deps.policy, { expectedEmail: lead.email, isRecheck: message.recheck });
    if (verdict.outcome === 'transient') held++;
    else if (verdict.outcome === 'recheck') rechecks.push({ lead, verdict });
    else finals.push({ lead, verdict });
  }

  if (rechecks.length > 0) {
    await sendRecheck(
      deps,
      uploadId,
      rechecks.map(({ lead }) => lead),
    );
    const marked = await mapWithConcurrency(rechecks, WRITE_CONCURRENCY, ({ lead, verdict }) =>
      markForRecheck(deps, lead, verdict, now()),
    );
    report.recheckScheduled = marked.filter(Boolean).length;
  }

  const settled = await mapWithConcurrency(finals, WRITE_CONCURRENCY, ({ lead, verdict }) =>
    settleLead(deps, lead, verdict, claim, expected, now()),
  );
  finals.forEach(({ lead, verdict }, index) => {
    if (settled[index]) owned.push({ lead, status: verdict.outcome as FinalStatus, reason: verdict.reason });
    else report.skipped++; // settled at the same moment by another delivery, which counts it
  });
  for (const { status, reason } of owned) {
    report[status]++;
    report.byReason[status][reason] = (report.byReason[status][reason] ?? 0) + 1;
  }

  await countSettledLeads(deps, uploadId, owned, claim);
  await releaseMarkers(deps, uploadId, counted);
  report.upload = await queueUploadIfSettled(deps.doc, deps.tables, uploadId, {
    remainingMs: options.remainingMs(),
    now,
  });

  const unanswered = toVerify.length - finals.length - rechecks.length - held;
  if (failure || held > 0) {
    const cause = failure
      ? describeVerifierFailure(failure)
      : `${held} answer(s) with an unknown or contradictory status`;
    throw new UnsettledLeadsError(unanswered + held, cause, report);
  }
  return report;
};

const keyOf = (lead: Pick<LeadItem, 'uploadId' | 'row'>) => leadKey(lead.uploadId, lead.row);

/** The message's leads as stored (one BatchGetItem, consistent); every row must exist. */
const readLeads = async (deps: SettleDependencies, message: VerificationMessage): Promise<LeadItem[]> => {
  const rows = [...new Set(message.leads.map((lead) => lead.row))];
  const found = new Map<number, LeadItem>();
  let keys: Record<string, unknown>[] = rows.map((row) => leadKey(message.uploadId, row));
  for (let attempt = 0; keys.length > 0; attempt++) {
    if (attempt > 8) throw new Error('DynamoDB kept leads unprocessed in BatchGetItem');
    // Unprocessed keys mean throttling: back off before asking again.
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** attempt)));
    const result = await deps.doc.send(
      new BatchGetCommand({ RequestItems: { [deps.tables.uploads]: { Keys: keys, ConsistentRead: true } } }),
    );
    for (const item of result.Responses?.[deps.tables.uploads] ?? []) {
      const lead = item as LeadItem;
      found.set(lead.row, lead);
    }
    keys = result.UnprocessedKeys?.[deps.tables.uploads]?.Keys ?? [];
  }
  const missing = rows.filter((row) => !found.has(row));
  if (missing.length > 0) throw new UnknownLeadsError(message.uploadId, missing);
  return rows.map((row) => found.get(row) as LeadItem);
};

/** One client call (<= 100 emails: one request). Answers got before a failure are still used. */
const verify = async (
  verifier: VerifierClient,
  leads: readonly LeadItem[],
  options: SettleOptions,
): Promise<{ answers: ReadonlyMap<string, VerifierAnswer>; failure?: Error }> => {
  if (leads.length === 0) return { answers: new Map() };
  try {
    return {
      answers: await verifier.verifyBatch(
        leads.map((lead) => lead.email),
        options,
      ),
    };
  } catch (error) {
    if (error instanceof TransientVerifierError) return { answers: error.answered, failure: error };
    if (error instanceof PermanentVerifierError) return { answers: new Map(), failure: error };
    throw error;
  }
};

/** Counts and reasons only: a service's error text could quote an address. */
const describeVerifierFailure = (failure: Error): string => {
  if (failure instanceof TransientVerifierError) {
    return `verifier ${failure.reason} after ${failure.attempts} attempt(s) (${failure.detail})`;
  }
  if (failure instanceof PermanentVerifierError)
    return `verifier refused the request (HTTP ${failure.status})`;
  return failure.name;
};

/** The re-check travels as a new message with the queue's own timer: no invocation waits for it. */
const sendRecheck = async (deps: SettleDependencies, uploadId: string, leads: readonly LeadItem[]) => {
  await deps.sqs.send(
    new SendMessageCommand({
      QueueUrl: deps.queueUrl,
      MessageBody: verificationMessageBody({
        uploadId,
        leads: leads.map((lead) => ({ row: lead.row, email: lead.email })),
        recheck: true,
      }),
      DelaySeconds: deps.policy.recheckDelaySeconds,
    }),
  );
};

/** The lead waits for its re-check: the admin sees why; no counter changes (it is still pending). */
const markForRecheck = (deps: SettleDependencies, lead: LeadItem, verdict: Verdict, now: number) =>
  conditional(
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

/**
 * Step 1 of the counting protocol for one lead: its final status, reason and raw class, and this call's
 * counting claim, in one write, on condition that it is still unsettled and unclaimed.
 */
const settleLead = (
  deps: SettleDependencies,
  lead: LeadItem,
  verdict: Verdict,
  claim: CountingClaim,
  expected: readonly LeadStatus[],
  now: number,
) => {
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
};

/** Marker of a lead's settlement in the counters items' `inflight` sets. */
export const leadMarker = (uploadId: string, row: number) => `LEAD#${uploadId}#${row}`;

type CounterDeltas<C> = Partial<Record<keyof C, number>>;

const uploadDeltas = (status: FinalStatus): CounterDeltas<UploadCounters> =>
  status === 'deliverable'
    ? { verificationPending: -1, deliverable: 1 }
    : { verificationPending: -1, undeliverable: 1 };

const globalDeltas = (status: FinalStatus, maxAssignmentsPerLead: number): CounterDeltas<GlobalCounters> =>
  status === 'deliverable'
    ? { leadsPendingVerification: -1, leadsDeliverable: 1, leadsAvailable: maxAssignmentsPerLead }
    : { leadsPendingVerification: -1, leadsUndeliverable: 1 };

/**
 * Steps 2-4 of the counting protocol for every lead this call owns: add the upload's and the global
 * counters once (one write each per 50 leads), end each lead's claim, then release the markers of the
 * leads whose claim we ended (a lead taken over by another worker is that worker's to release).
 */
const countSettledLeads = async (
  deps: SettleDependencies,
  uploadId: string,
  owned: readonly OwnedLead[],
  claim: CountingClaim,
) => {
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
  await releaseMarkers(
    deps,
    uploadId,
    owned.filter((_, index) => ended[index]).map(({ lead }) => lead),
  );
};

/**
 * Step 4, for leads whose counting is done. Also run for leads a redelivery finds settled and unclaimed:
 * a delivery that crashed between ending the claim and releasing would otherwise leave their markers in
 * `inflight` for good. Safe, since nobody can count such a lead again (that needs a claim).
 */
const releaseMarkers = async (deps: SettleDependencies, uploadId: string, leads: readonly LeadItem[]) => {
  const markers = leads.map((lead) => leadMarker(uploadId, lead.row));
  await releaseCounterMarker(deps.doc, deps.tables.uploads, uploadKey(uploadId), markers);
  await releaseCounterMarker(deps.doc, deps.tables.control, GLOBAL_COUNTERS_KEY, markers);
};
