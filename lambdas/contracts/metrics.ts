/**
 * The custom CloudWatch metrics of the app, in one place: the functions publish them (Powertools EMF, namespace
 * `METRICS_NAMESPACE`, dimension `service` = `proleads-<function folder>`) and the monitoring construct graphs
 * and alarms on them. Import-free, so the CDK app and every bundle can share it.
 */
export const METRICS_NAMESPACE = 'Proleads';

/** The `service` dimension Powertools gives every metric of a function folder. */
export const serviceOf = (folder: string) => `proleads-${folder}`;

/** Published by the scheduler watchdog every few minutes, from the same assessment as GET /admin/scheduler/health. */
export const WATCHDOG_METRICS = {
  /** Enabled schedules whose latest due run has not succeeded within the slack. Alarm: >= 1, or no data. */
  overdueSchedules: 'OverdueSchedules',
  /** 0 healthy, 1 degraded, 2 failing. */
  schedulerVerdict: 'SchedulerVerdict',
  /** Seconds since the distribution's last heartbeat (absent before the first run). */
  heartbeatAgeSeconds: 'HeartbeatAgeSeconds',
  /** Weeks of supply left at the current weekly demand (absent while there is no demand). */
  supplyWeeksLeft: 'SupplyWeeksLeft',
} as const;

/** Published by the distribution at the end of every run attempt (lambdas/distribution/handler.ts). */
export const DISTRIBUTION_METRICS = {
  runs: 'DistributionRuns',
  /** A run attempt failed (its retry resumes it). Alarm: > 0. */
  runFailures: 'DistributionRunFailures',
  runsSkipped: 'DistributionRunsSkipped',
  duplicateInvocations: 'DistributionDuplicateInvocations',
  leadsAssigned: 'LeadsAssigned',
  leadShortfall: 'LeadShortfall',
  membersShort: 'MembersShort',
  supplyWeeksLeft: 'SupplyWeeksLeft',
} as const;

/** Published by the ingest once per chunk whose checkpoint it committed: the rows of that chunk, by result. */
export const INGEST_METRICS = {
  rowsRead: 'IngestRowsRead',
  accepted: 'IngestRowsAccepted',
  duplicateInFile: 'IngestRowsDuplicateInFile',
  duplicateOfEarlier: 'IngestRowsDuplicateOfEarlier',
  rejected: 'IngestRowsRejected',
} as const;

/** Published by the verification once per invocation (one SQS batch). */
export const VERIFICATION_METRICS = {
  /** HTTP attempts toward the verifier, retries included. */
  verifierRequests: 'VerifierRequests',
  /** Attempts that failed: 429, 5xx, 408, timeout, network, malformed answer, or a refused (4xx) request. */
  verifierErrors: 'VerifierErrors',
  /** Milliseconds per attempt, one value each. */
  verifierLatency: 'VerifierLatency',
  /** Leads settled, with dimensions `outcome` (deliverable | rejected) and `reason` (the policy's reason). */
  verifiedLeads: 'VerifiedLeads',
} as const;

/** Published by the stale-upload sweeper at every pass. */
export const INGEST_SWEEP_METRICS = {
  /** Uploads found stuck in `ingesting` (lease expired, no progress for the stale time). */
  stuckUploads: 'StuckUploads',
  /** Stuck uploads resumed from their checkpoint. */
  resumed: 'StaleUploadsResumed',
  /** Stuck uploads given up on (failed, resumable by a redrive) after the last resume attempt. Alarm: >= 1. */
  failed: 'StaleUploadsFailed',
} as const;

/** Published by the email-feedback function once per recipient of an SES bounce or complaint event. */
export const EMAIL_FEEDBACK_METRICS = {
  /** Permanent bounces: the address is marked and no longer mailed. */
  hardBounces: 'EmailHardBounces',
  /** Transient or undetermined bounces: counted on the member, never suppressing. */
  softBounces: 'EmailSoftBounces',
  /** Complaints (marked as spam): the address is marked and no longer mailed. */
  complaints: 'EmailComplaints',
} as const;
