import type { CountingClaim } from '../shared/counting-claim';
import type { LeadItem, LeadStatus, VerificationMessage } from '../shared/model';
import type { QueueUploadOutcome } from '../shared/upload-state';
import type { Verdict } from './domain/policy';
import type { OwnedLead } from './domain/settlement';

/** The leads of the uploads table as settling a verification message reads and writes them. */
export interface SettlementStore {
  /** The message's leads as stored (consistent); throws UnknownLeadsError when a row does not exist. */
  readLeads(message: VerificationMessage): Promise<LeadItem[]>;
  /** Takes over the counting claim a crashed delivery left on the lead; false when someone else holds it. */
  takeOver(lead: LeadItem, left: CountingClaim, claim: CountingClaim, now: number): Promise<boolean>;
  /** The lead waits for its re-check (still pending in every counter); false when it changed meanwhile. */
  markForRecheck(lead: LeadItem, verdict: Verdict, now: number): Promise<boolean>;
  /** The lead's final status with this call's counting claim, if still unsettled; false otherwise. */
  settle(
    lead: LeadItem,
    verdict: Verdict,
    claim: CountingClaim,
    expected: readonly LeadStatus[],
    now: number,
  ): Promise<boolean>;
  /** Adds the counters once for every owned lead, ends their claims and releases their markers. */
  countSettled(uploadId: string, owned: readonly OwnedLead[], claim: CountingClaim): Promise<void>;
  /** Releases the counter markers of leads already settled and counted. */
  releaseMarkers(uploadId: string, leads: readonly LeadItem[]): Promise<void>;
  /** Queues the upload if this was its last unsettled lead. */
  queueUploadIfSettled(uploadId: string, remainingMs: number): Promise<QueueUploadOutcome>;
}

/** Where a lead that needs a second look goes, with the queue's own timer. */
export interface RecheckQueue {
  sendRecheck(uploadId: string, leads: readonly LeadItem[]): Promise<void>;
}
