/**
 * The data model every function shares: table keys and item shapes. Keep every access a GetItem, Query or
 * conditional write on these keys (DESIGN.md "access patterns"). Time values are ISO-8601 UTC strings;
 * `expiresAt` is epoch seconds (the tables' TTL attribute) and readers treat an item past it as gone.
 */

// ---------- uploads table: uploads and their leads ----------

export type UploadState =
  | 'awaiting_upload' // slot handed out, no object yet
  | 'ingesting' // the ingest function is reading the file
  | 'verifying' // every row read; leads wait for the verifier
  | 'queued' // every lead settled; deliverable leads wait for distribution
  | 'exhausted' // distribution handed out all it could
  | 'failed' // the file as a whole was refused or ingest failed; see failureReason
  | 'duplicate_file'; // byte-identical to an earlier upload; see duplicateOf

export const uploadKey = (uploadId: string) => ({ pk: `UPLOAD#${uploadId}`, sk: 'UPLOAD' });
/** Row numbers are zero-padded so the sort key orders leads in file order. */
export const leadKey = (uploadId: string, row: number) => ({
  pk: `UPLOAD#${uploadId}`,
  sk: `LEAD#${String(row).padStart(9, '0')}`,
});
export const LEAD_SK_PREFIX = 'LEAD#';
/** GSI `byState`: queued uploads oldest first = Query gsi1pk = STATE#queued, ascending gsi1sk. */
export const uploadStateIndexKeys = (state: UploadState, createdAt: string, uploadId: string) => ({
  gsi1pk: `STATE#${state}`,
  gsi1sk: `${createdAt}#${uploadId}`,
});
/** GSI `byCreation`: every upload, newest first = Query gsi2pk = UPLOADS, descending gsi2sk (ULID). */
export const uploadListIndexKeys = (uploadId: string) => ({ gsi2pk: 'UPLOADS', gsi2sk: uploadId });
/** Content-hash claim that refuses a byte-identical re-upload. */
export const fileHashKey = (sha256: string) => ({ pk: `FILEHASH#${sha256}`, sk: 'FILE' });

export interface UploadCounters {
  rowsRead: number;
  accepted: number;
  duplicateInFile: number;
  duplicateOfEarlier: number;
  rejected: number;
  /** accepted leads whose verification has not settled yet */
  verificationPending: number;
  deliverable: number;
  undeliverable: number;
  /** lead assignments handed out from this upload */
  assigned: number;
}

export interface UploadItem extends Partial<UploadCounters> {
  pk: string;
  sk: 'UPLOAD';
  uploadId: string;
  state: UploadState;
  fileName: string;
  sizeBytes: number;
  uploadedBy: string;
  createdAt: string;
  updatedAt: string;
  objectKey: string;
  resultKey?: string;
  contentSha256?: string;
  duplicateOf?: string;
  failureReason?: string;
}

export type LeadStatus = 'pending' | 'deliverable' | 'rejected' | 'recheck';

export interface LeadItem {
  pk: string;
  sk: string;
  uploadId: string;
  row: number;
  /** normalised (trimmed, NFC, lower-case) */
  email: string;
  emailHash: string;
  firstName?: string;
  lastName?: string;
  fullName?: string;
  phone?: string;
  company?: string;
  title?: string;
  website?: string;
  city?: string;
  state?: string;
  country?: string;
  extras?: Record<string, string>;
  status: LeadStatus;
  /** why it was rejected / flagged, and the verifier's raw class (status) */
  reason?: string;
  rawClass?: string;
  roleBased?: boolean;
  typoSuggestion?: string;
  verifiedAt?: string;
  /** how many members received it; never above maxAssignmentsPerLead */
  assignedCount?: number;
  /** members who received it (string set), so nobody gets it twice */
  assignedTo?: Set<string>;
  createdAt: string;
}

/** One SQS message of the verification queue: up to 100 leads of one upload (the verifier's batch size). */
export interface VerificationMessage {
  uploadId: string;
  leads: { row: number; email: string }[];
  /** set on the delayed re-check of a domain-based failure */
  recheck?: boolean;
}

// ---------- lead hashes table ----------

/** One item per lead ever accepted: key = HMAC-SHA256(pepper, normalised email). */
export interface LeadHashItem {
  hash: string;
  uploadId: string;
  row: number;
  acceptedAt: string;
}

// ---------- members table: members, assignments, weekly tallies ----------

export const memberKey = (memberId: string) => ({ pk: `MEMBER#${memberId}`, sk: 'PROFILE' });
/** Sparse GSI `eligible`: only eligible members carry gsi1pk. */
export const ELIGIBLE_INDEX_PK = 'ELIGIBLE';
export const assignmentKey = (memberId: string, assignedAt: string, uploadId: string, row: number) => ({
  pk: `MEMBER#${memberId}`,
  sk: `ASSIGN#${assignedAt}#${uploadId}#${String(row).padStart(9, '0')}`,
});
export const ASSIGNMENT_SK_PREFIX = 'ASSIGN#';
/** A member's profile (`memberKey`), as the members sync writes it from the main platform. */
export interface MemberProfileItem {
  pk: string;
  sk: 'PROFILE';
  memberId: string;
  email: string;
  name?: string;
  tier: string;
  /** The platform's word: 'active', 'past_due', 'canceled', ... */
  subscriptionStatus: string;
  subscriptionEndsAt?: string | null;
  weeklyQuotaOverride?: number | null;
}
/**
 * One lead handed to a member (`assignmentKey`): a snapshot of the lead as it was when assigned, so the
 * member's exports never need the uploads table. `assignedAt` is `toISOString()` (the sort key orders by it).
 */
export interface AssignmentItem
  extends Pick<
    LeadItem,
    | 'uploadId'
    | 'row'
    | 'email'
    | 'firstName'
    | 'lastName'
    | 'fullName'
    | 'phone'
    | 'company'
    | 'title'
    | 'website'
    | 'city'
    | 'state'
    | 'country'
  > {
  pk: string;
  sk: string;
  memberId: string;
  assignedAt: string;
  /** the distribution run that made the assignment */
  runId?: string;
}
export const memberWeekKey = (memberId: string, weekKey: string) => ({
  pk: `MEMBER#${memberId}`,
  sk: `WEEK#${weekKey}`,
});

// ---------- control table ----------

/** Global counters: one item, updated with ADD (see counters.ts). */
export const GLOBAL_COUNTERS_KEY = { pk: 'COUNTERS', sk: 'GLOBAL' } as const;
export const weekCountersKey = (weekKey: string) => ({ pk: 'COUNTERS', sk: `WEEK#${weekKey}` });
export const scheduleKey = (scheduleId: string) => ({ pk: 'SCHEDULE', sk: scheduleId });
export const SCHEDULE_PK = 'SCHEDULE';
/** Runs, newest first = Query pk = RUN descending. */
export const runKey = (startedAt: string, runId: string) => ({ pk: 'RUN', sk: `${startedAt}#${runId}` });
export const RUN_PK = 'RUN';
export const HEARTBEAT_KEY = { pk: 'HEARTBEAT', sk: 'DISTRIBUTION' } as const;
export const RUN_LOCK_KEY = { pk: 'LOCK', sk: 'DISTRIBUTION' } as const;
export const handoffCodeKey = (codeHash: string) => ({ pk: `HANDOFF#${codeHash}`, sk: 'CODE' });
export const clientAssertionJtiKey = (clientId: string, jti: string) => ({ pk: `JTI#${clientId}`, sk: jti });

/** Names of the global counters, so every writer and the overview agree. */
export interface GlobalCounters {
  rowsRead: number;
  leadsAccepted: number;
  duplicatesInFile: number;
  duplicatesOfEarlier: number;
  rowsRejected: number;
  leadsPendingVerification: number;
  leadsDeliverable: number;
  leadsUndeliverable: number;
  /** deliverable lead slots not yet handed out (deliverable x maxAssignmentsPerLead − assigned) */
  leadsAvailable: number;
  leadsAssigned: number;
  queuedUploads: number;
  eligibleMembers: number;
  /** sum of eligible members' weekly quotas */
  weeklyDemand: number;
}

/** `eligibleMembers#<tier>` counters carry the per-tier split. */
export const eligibleTierCounter = (tier: string) => `eligibleMembers#${tier}`;
