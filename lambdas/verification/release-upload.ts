import { newClaim } from '../shared/counting-claim';
import { ConflictError, NotFoundError } from '../shared/errors';
import type { LeadItem, UploadItem } from '../shared/model';
import type { QueueUploadOutcome } from '../shared/upload-state';
import type { Verdict } from './domain/policy';
import type { OwnedLead } from './domain/settlement';
import type { SettlementStore } from './ports';

/** What a lead released without an answer is settled as: rejected, and the reason says why. */
export const UNVERIFIED: Verdict = {
  outcome: 'rejected',
  reason: 'unverified',
  rawClass: 'unverified',
  score: 0,
  flags: { roleBased: false, disposable: false },
};

export interface ReleaseReport {
  uploadId: string;
  /** Leads settled as rejected `unverified` by this call. */
  rejectedUnverified: number;
  upload: QueueUploadOutcome;
}

/**
 * Releases an upload stuck in verification (every row read, some answers never came): each lead still
 * waiting is settled as rejected `unverified` through the same counting protocol verification uses, so a
 * late answer finds it settled and changes nothing, and a lead verification settles meanwhile is left as it
 * is. Then the upload is queued with the rest (or completed when nothing is deliverable).
 *
 * Steps: read the upload -> refuse unless `verifying` -> per page of unsettled leads: settle each (claim,
 * status, reason) -> count the page once -> queue the upload if settled.
 */
export const releaseStuckUpload = async (
  deps: {
    readonly store: SettlementStore;
    readonly readUpload: (uploadId: string) => Promise<UploadItem | undefined>;
    readonly unsettledLeads: (uploadId: string) => AsyncIterable<LeadItem[]>;
    readonly now: () => number;
    readonly remainingMs: number;
  },
  uploadId: string,
): Promise<ReleaseReport> => {
  const upload = await deps.readUpload(uploadId);
  if (!upload) throw new NotFoundError(`No upload ${uploadId}`);
  if (upload.state !== 'verifying') {
    throw new ConflictError(
      `Upload ${uploadId} is ${upload.state}: only an upload whose rows are all read and whose verification has not finished can be released`,
      { state: upload.state },
    );
  }
  let rejectedUnverified = 0;
  for await (const page of deps.unsettledLeads(uploadId)) {
    const claim = newClaim(deps.now(), deps.remainingMs);
    const owned: OwnedLead[] = [];
    for (const lead of page) {
      if (await deps.store.settle(lead, UNVERIFIED, claim, ['pending', 'recheck'], deps.now())) {
        owned.push({ lead, status: 'rejected', reason: UNVERIFIED.reason });
      }
    }
    await deps.store.countSettled(uploadId, owned, claim);
    rejectedUnverified += owned.length;
  }
  return {
    uploadId,
    rejectedUnverified,
    upload: await deps.store.queueUploadIfSettled(uploadId, deps.remainingMs),
  };
};
