import { mapWithConcurrency } from '../shared/concurrency';
import { claimOf, newClaim } from '../shared/counting-claim';
import type { LeadItem, LeadStatus, VerificationMessage } from '../shared/model';
import {
  PermanentVerifierError,
  TransientVerifierError,
  type VerifierClient,
  type VerifyBatchOptions,
} from './adapters/verifier-client';
import { classify, type Verdict, type VerificationPolicy } from './domain/policy';
import {
  type FinalStatus,
  type OwnedLead,
  type SettleReport,
  UnsettledLeadsError,
} from './domain/settlement';
import type { VerifierAnswer } from './domain/verifier-schema';
import type { RecheckQueue, SettlementStore } from './ports';

export interface SettleDependencies {
  store: SettlementStore;
  recheckQueue: RecheckQueue;
  verifier: VerifierClient;
  policy: VerificationPolicy;
  now?: () => number;
}

/** The invocation's time left, and who hears of each verifier attempt: handed to the verifier client as is. */
export type SettleOptions = VerifyBatchOptions;

/** Parallel writes per message: well inside the SDK's socket pool, light on one partition. */
const WRITE_CONCURRENCY = 16;

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
  const leads = await deps.store.readLeads(message);
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
      const resumable = left.until < now() && (await deps.store.takeOver(lead, left, claim, now()));
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
    await deps.recheckQueue.sendRecheck(
      uploadId,
      rechecks.map(({ lead }) => lead),
    );
    const marked = await mapWithConcurrency(rechecks, WRITE_CONCURRENCY, ({ lead, verdict }) =>
      deps.store.markForRecheck(lead, verdict, now()),
    );
    report.recheckScheduled = marked.filter(Boolean).length;
  }

  const settled = await mapWithConcurrency(finals, WRITE_CONCURRENCY, ({ lead, verdict }) =>
    deps.store.settle(lead, verdict, claim, expected, now()),
  );
  finals.forEach(({ lead, verdict }, index) => {
    if (settled[index]) owned.push({ lead, status: verdict.outcome as FinalStatus, reason: verdict.reason });
    else report.skipped++; // settled at the same moment by another delivery, which counts it
  });
  for (const { status, reason } of owned) {
    report[status]++;
    report.byReason[status][reason] = (report.byReason[status][reason] ?? 0) + 1;
  }

  await deps.store.countSettled(uploadId, owned, claim);
  await deps.store.releaseMarkers(uploadId, counted);
  report.upload = await deps.store.queueUploadIfSettled(uploadId, options.remainingMs());

  const unanswered = toVerify.length - finals.length - rechecks.length - held;
  if (failure || held > 0) {
    const cause = failure
      ? describeVerifierFailure(failure)
      : `${held} answer(s) with an unknown or contradictory status`;
    throw new UnsettledLeadsError(unanswered + held, cause, report);
  }
  return report;
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
