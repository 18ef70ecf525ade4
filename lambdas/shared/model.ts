/**
 * The data model every function shares: table keys and item shapes. Keep every access a GetItem, Query or
 * conditional write on these keys, never a Scan. Time values are ISO-8601 UTC strings;
 * `expiresAt` is epoch seconds (the tables' TTL attribute) and readers treat an item past it as gone.
 */

// ---------- uploads table: uploads and their leads ----------

export const UPLOAD_STATES = [
  'awaiting_upload', // slot handed out, no object yet
  'ingesting', // the ingest function is reading the file
  'verifying', // every row read; leads wait for the verifier
  'queued', // every lead settled; deliverable leads wait for distribution
  'paused', // queued, held back by an admin: the walk skips it until it is resumed (in its place)
  'withdrawn', // taken out of the supply by an admin: what was delivered stays, the rest is never handed out
  'completed', // every row read and every lead settled, with nothing deliverable to distribute
  'exhausted', // distribution handed out all it could
  'failed', // the file as a whole was refused or ingest failed; see failureReason
  'duplicate_file', // byte-identical to an earlier upload; see duplicateOf
] as const;
export type UploadState = (typeof UPLOAD_STATES)[number];

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
/** Upload ids are ULIDs: time-ordered, so the byCreation index lists the newest first. */
export const UPLOAD_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** Member ids are the main platform's: kept to a shape safe in keys, paths and return ids. */
export const MEMBER_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
export const MEMBER_ID_MESSAGE = 'must be 1-64 letters, digits or . _ : -';
/** Where an upload's file goes: made from the id, never from the admin's file name. */
export const uploadObjectKey = (uploadId: string) => `uploads/${uploadId}.csv`;
/** The per-row result file the ingest writes next to the upload. */
export const resultObjectKey = (uploadId: string) => `results/${uploadId}.csv`;
/** The content-hash claim (uploads table): which upload first brought a file with these bytes. */
export interface FileHashItem {
  pk: string;
  sk: 'FILE';
  uploadId: string;
  claimedAt: string;
}

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
  /** Ingest progress (the ingest's checkpoint): data rows fully processed, and the chunk size it uses. */
  rowsDone?: number;
  chunkSize?: number;
  /** The reading stopped at this row (row cap, overlong row); the rows before it were processed. */
  stoppedAtRow?: number;
  /** The object as first seen: later reads must get these very bytes (a reused slot cannot swap them). */
  objectETag?: string;
  objectSize?: number;
  /** An abandoned slot (no file ever came) expires; the ingest removes this when the file arrives. */
  expiresAt?: number;
  /** The last admin state change (pause, resume, withdraw) and the counter deltas it counts once. */
  controlMarker?: string;
  controlDeltas?: Record<string, number>;
  /** Withdrawn with its undelivered leads' hashes released: those people can be uploaded again. */
  hashesReleasedAt?: string;
}

/** `returned`: a member returned it and an admin (or a known bounce) approved: out of circulation. */
export type LeadStatus = 'pending' | 'deliverable' | 'rejected' | 'recheck' | 'returned';

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
  /** E.164 when it could be read; as written otherwise, with `phoneUnreadable` set. */
  phone?: string;
  phoneUnreadable?: boolean;
  company?: string;
  title?: string;
  website?: string;
  linkedin?: string;
  industry?: string;
  address?: string;
  city?: string;
  state?: string;
  postalCode?: string;
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
/** The member's link with AutoMailer: made by a redeemed hand-off, the one thing that lets AutoMailer read them. */
export const automailerLinkKey = (memberId: string) => ({ pk: `MEMBER#${memberId}`, sk: 'AUTOMAILER_LINK' });
/** GSI `eligible`: eligible members under this partition (distribution reads only this one)... */
export const ELIGIBLE_INDEX_PK = 'ELIGIBLE';
/** ...and the others under this one, so an admin can list either. */
export const NOT_ELIGIBLE_INDEX_PK = 'NOT_ELIGIBLE';
/** GSI `byTier`: a tier's members, eligible ones first (`eligible#<id>`, then `not-eligible#<id>`). */
export const memberTierIndexKeys = (tier: string, eligible: boolean, memberId: string) => ({
  gsi3pk: `TIER#${tier}`,
  gsi3sk: `${eligibilityPrefix(eligible)}${memberId}`,
});
export const eligibilityPrefix = (eligible: boolean) => (eligible ? 'eligible#' : 'not-eligible#');
export const assignmentKey = (memberId: string, assignedAt: string, uploadId: string, row: number) => ({
  pk: `MEMBER#${memberId}`,
  sk: `ASSIGN#${assignedAt}#${uploadId}#${String(row).padStart(9, '0')}`,
});
export const ASSIGNMENT_SK_PREFIX = 'ASSIGN#';
/** What readers outside the members routes need of a member's profile (`memberKey`, a `MemberItem`). */
export type MemberProfileItem = Pick<
  MemberItem,
  | 'pk'
  | 'sk'
  | 'memberId'
  | 'email'
  | 'name'
  | 'tier'
  | 'subscriptionStatus'
  | 'subscriptionEndsAt'
  | 'weeklyQuotaOverride'
>;
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
  runId: string;
}
/** A member's return of one delivered lead: one per lead and member. */
export const returnKey = (memberId: string, uploadId: string, row: number) => ({
  pk: `MEMBER#${memberId}`,
  sk: `RETURN#${uploadId}#${String(row).padStart(9, '0')}`,
});
export const RETURN_SK_PREFIX = 'RETURN#';
/** GSI `returns`: the admins' queue, oldest first = Query gsi4pk = RETURNS#<state>, ascending gsi4sk. */
export const returnQueueIndexKeys = (state: string, createdAt: string, returnId: string) => ({
  gsi4pk: `RETURNS#${state}`,
  gsi4sk: `${createdAt}#${returnId}`,
});
/** The returns counted against a member's cap for the week the returned leads were delivered in. */
export const returnWeekKey = (memberId: string, weekKey: string) => ({
  pk: `MEMBER#${memberId}`,
  sk: `RETURNS#${weekKey}`,
});

export interface ReturnItem {
  pk: string;
  sk: string;
  returnId: string;
  memberId: string;
  uploadId: string;
  row: number;
  /** when the lead was delivered, and the week (of the run that delivered it) its cap is counted in */
  assignedAt: string;
  weekKey: string;
  reason: string;
  text?: string;
  state: 'pending' | 'approved' | 'refused';
  createdAt: string;
  decidedAt?: string;
  /** the admin's id, or `automatic` for a known hard bounce */
  decidedBy?: string;
  note?: string;
  /** the counting in progress (claim protocol): its marker and the deltas of the global and member items */
  countMarker?: string;
  countGlobal?: Record<string, number>;
  countMember?: Record<string, number>;
  gsi4pk: string;
  gsi4sk: string;
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
/** The dedupe-key setting the lead hashes were made with (see ingest/adapters/dedupe-setting.ts). */
export const DEDUPE_SETTING_KEY = { pk: 'SETTING', sk: 'DEDUPE_KEY' } as const;

/** What the stale-upload sweeper found at its last pass (the overview and the health report read it). */
export const INGEST_SWEEP_KEY = { pk: 'HEARTBEAT', sk: 'INGEST_SWEEP' } as const;

export interface IngestSweepItem {
  /** When the sweeper last looked (ISO-8601). */
  checkedAt: string;
  /** Uploads in `ingesting` whose lease had expired and whose progress had not moved for the stale time. */
  stuckUploads: number;
  /** Their ids, at most 20. */
  stuckUploadIds: string[];
}
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
  /** members whose current address is marked (hard bounce or complaint): they are not mailed */
  markedMembers: number;
}

/** `eligibleMembers#<tier>` counters carry the per-tier split. */
export const eligibleTierCounter = (tier: string) => `eligibleMembers#${tier}`;

// ---------- members and distribution ----------

/** GSI `directory` of the members table: every member profile, by id = Query gsi2pk = MEMBERS. */
export const MEMBER_DIRECTORY_PK = 'MEMBERS';

/** What the global counters count for a member right now; the next upsert's deltas start from it. */
export interface CountedMemberState {
  eligible: boolean;
  tier: string;
  weeklyQuota: number;
  /** its current address is marked (counted in `markedMembers`); absent on items written before marks */
  marked?: boolean;
}

/** Why SES feedback marked an address: a permanent bounce or a complaint. Soft bounces only count. */
export type AddressMarkReason = 'hard-bounce' | 'complaint';

/**
 * A mark on the address a member had when SES reported it: the member is not mailed while `address` is
 * still their email. A new address (synced from the platform) leaves the mark behind; an admin clears it.
 */
export interface AddressMark {
  address: string;
  reason: AddressMarkReason;
  at: string;
}

export interface MemberItem {
  pk: string;
  sk: 'PROFILE';
  memberId: string;
  email: string;
  name: string;
  tier: string;
  /** the platform's subscription state; only `active` is eligible */
  subscriptionStatus: string;
  subscriptionEndsAt?: string | null;
  /** when the paid subscription began (the platform's date): a mid-week joiner's entitlement starts here */
  subscriptionStartedAt?: string | null;
  /** when a member who was not eligible (paused, lapsed) became eligible again: accrual resumes here */
  eligibleSince?: string | null;
  weeklyQuotaOverride?: number | null;
  /**
   * Replacements owed for approved returns: +1 per approved return (with `version`), less what a run
   * delivered for them (`replacementsSettled` names that run and what was owed before it).
   */
  replacementsOwed?: number;
  replacementsSettled?: { runId: string; owedBefore: number };
  /** counter markers in flight (counters.ts) of the replacements credited to the member */
  inflight?: Set<string>;
  /** +1 on every change; upserts write on condition that it is still the version they read */
  version: number;
  counted: CountedMemberState;
  /** set by SES bounce or complaint feedback (see AddressMark) */
  addressMark?: AddressMark | null;
  /** soft (transient) bounces reported for the current address: counted, never suppressing */
  softBounces?: number;
  createdAt: string;
  updatedAt: string;
  /** ELIGIBLE_INDEX_PK while counted eligible, else NOT_ELIGIBLE_INDEX_PK (GSI `eligible`) */
  gsi1pk?: string;
  gsi1sk?: string;
  gsi2pk: string;
  gsi2sk: string;
  /** GSI `byTier` (`memberTierIndexKeys`) */
  gsi3pk?: string;
  gsi3sk?: string;
}

/**
 * A member's tally for one week as runs wrote it before the ledger (`memberWeekKey`). Read only to start
 * the ledger: a member's first ledger week takes its received count from here.
 */
export interface MemberWeekItem {
  pk: string;
  sk: string;
  memberId: string;
  weekKey: string;
  /** leads received this week, this run's included */
  received: number;
  /** the last run that wrote the tally, and what the member had before it: a resumed run starts from there */
  runId: string;
  receivedBeforeRun: number;
  lastServedAt: string;
  /** when the member was served before that run; a resumed run plans from it */
  lastServedBeforeRun: string | null;
  expiresAt: number;
}

/**
 * A member's ledger for one (ISO, schedule-zone) week: what they were owed, carried in and received, by run.
 * Entries live in the week's ledger buckets (`ledgerBucketKey`), under `entries.<memberId>`, so a run
 * reads and fences a few hundred items however many members there are.
 */
export interface LedgerEntry {
  memberId: string;
  weekKey: string;
  /** the weekly quota the entitlement was computed with */
  quota: number;
  /** accrual this entry covers: from (the end of the previous entry, or when the member joined) to the week's end */
  accruedFrom: string;
  accruedThrough: string;
  /** entitlement accrued in this entry, whole leads */
  accrued: number;
  /** unmet entitlement carried in from the previous entry, capped at `carryOverWeeks` quotas */
  carriedIn: number;
  /** accrued + carriedIn */
  owed: number;
  /** leads received this week, every run's included */
  received: number;
  /** leads received this week by run id */
  runs: Record<string, number>;
  /** the last run that wrote the entry, and what the member had before it: a resumed run starts from there */
  runId: string;
  receivedBeforeRun: number;
  lastServedAt: string | null;
  /** when the member was served before that run; a resumed run plans from it */
  lastServedBeforeRun: string | null;
}

/** One week's ledger bucket (members table): the entries of the members hashed to it. */
export interface LedgerBucketItem {
  pk: string;
  sk: string;
  weekKey: string;
  entries: Record<string, LedgerEntry>;
  /** the lock generation of the newest run that read or wrote the bucket */
  fence?: number;
  expiresAt: number;
}

/** Buckets per ledger week: a member's bucket is a hash of their id. */
export const LEDGER_BUCKETS = 256;

/** FNV-1a of the member id, so a member's bucket never changes. */
export const ledgerBucketOf = (memberId: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < memberId.length; index += 1) {
    hash ^= memberId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % LEDGER_BUCKETS;
};

export const ledgerBucketKey = (weekKey: string, bucket: number) => ({
  pk: `LEDGER#${weekKey}`,
  sk: `BUCKET#${String(bucket).padStart(3, '0')}`,
});

/** What a member received: one item per lead, with the lead as it was when assigned. */
export type ScheduleSyncState = 'pending' | 'synced';

/** A distribution schedule; mirrored to an EventBridge Scheduler schedule of the same name. */
export interface ScheduleItem {
  pk: typeof SCHEDULE_PK;
  sk: string;
  scheduleId: string;
  name: string;
  kind: 'weekly' | 'monthly';
  dayOfWeek?: string;
  dayOfMonth?: number;
  time: string;
  timeZone: string;
  enabled: boolean;
  version: number;
  /** `pending` until Scheduler holds this version; a read or the next change repairs it */
  sync: ScheduleSyncState;
  pendingOp?: 'upsert' | 'delete';
  syncError?: string;
  createdAt: string;
  updatedAt: string;
  syncedAt?: string;
}

export const RUN_TRIGGERS = ['schedule', 'manual'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
export const RUN_STATES = ['running', 'succeeded', 'failed', 'skipped'] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface RunItem {
  pk: typeof RUN_PK;
  sk: string;
  runId: string;
  /** the scheduled time, or when the admin asked: the run's week is the week of this instant */
  runAt: string;
  trigger: RunTrigger;
  scheduleId?: string;
  scheduleArn?: string;
  scheduledTime?: string;
  requestedBy?: string;
  timeZone: string;
  weekKey: string;
  state: RunState;
  startedAt: string;
  endedAt?: string;
  attempts: number;
  /** the attempt that holds the run lock; only it may checkpoint */
  attemptId?: string;
  leadsAssigned: number;
  membersServed?: number;
  membersShort?: number;
  membersNotified?: number;
  /** members whose notification has no known outcome (claimed, never mailed again) */
  notifiedUnknown?: number;
  /** members served whose address is marked (bounce or complaint): leads assigned, no email */
  membersNotMailed?: number;
  uploadsTouched?: string[];
  uploadsExhausted?: string[];
  skippedReason?: string;
  error?: string;
  expiresAt: number;
}

/** Notification claims of a run, numbered in order; each lists the members it covers. */
export const notificationKey = (runId: string, chunk: number) => ({
  pk: `NOTIFY#${runId}`,
  sk: String(chunk).padStart(6, '0'),
});
