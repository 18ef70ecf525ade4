import type { GlobalCounters, LeadItem, LeadStatus, UploadCounters } from '../../shared/model';
import type { QueueUploadOutcome } from '../../shared/upload-state';

/** What settling one verification message did, and the rules of counting a settled lead. */

export type FinalStatus = Extract<LeadStatus, 'deliverable' | 'rejected'>;

/** A lead whose counting this call owns: settled by it, or resumed from a crashed delivery. */
export interface OwnedLead {
  lead: LeadItem;
  status: FinalStatus;
  reason: string;
}

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

/** Marker of a lead's settlement in the counters items' `inflight` sets. */
export const leadMarker = (uploadId: string, row: number) => `LEAD#${uploadId}#${row}`;

type CounterDeltas<C> = Partial<Record<keyof C, number>>;

export const uploadDeltas = (status: FinalStatus): CounterDeltas<UploadCounters> =>
  status === 'deliverable'
    ? { verificationPending: -1, deliverable: 1 }
    : { verificationPending: -1, undeliverable: 1 };

export const globalDeltas = (
  status: FinalStatus,
  maxAssignmentsPerLead: number,
): CounterDeltas<GlobalCounters> =>
  status === 'deliverable'
    ? { leadsPendingVerification: -1, leadsDeliverable: 1, leadsAvailable: maxAssignmentsPerLead }
    : { leadsPendingVerification: -1, leadsUndeliverable: 1 };
