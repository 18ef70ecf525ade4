import * as z from '../../shared/zod';
import {
  emailMatchKey,
  findContradiction,
  isKnownVerifierStatus,
  type VerifierAnswer,
} from './verifier-schema';

/**
 * What we do with each class of verifier answer: the one place to change it. Defaults follow "How we treat
 * it" in docs/verifier/README.md. Classes that could only ever mean "reject" (bad syntax, no email, INVALID) have a
 * single allowed value, kept in the table so that it reads as the whole policy.
 */
export const verificationPolicySchema = z.strictObject({
  valid: z.literal('deliverable'),
  /** Business leads are often info@ / sales@: kept by default, flagged; the switch can reject them. */
  roleAccount: z.enum(['deliverable', 'rejected']),
  /** PROBABLY_VALID or any typoSuggestion: the suggestion is kept on the lead for the admin. */
  possibleTypo: z.enum(['deliverable', 'rejected']),
  /** The disposable switch. */
  disposable: z.enum(['deliverable', 'rejected']),
  invalid: z.literal('rejected'),
  invalidFormat: z.literal('rejected'),
  missingEmail: z.literal('rejected'),
  /** The service reports its own DNS timeouts as bad domains: one delayed re-check before rejecting. */
  invalidDomain: z.enum(['recheck', 'rejected']),
  noMxRecords: z.enum(['recheck', 'rejected']),
  /** 900 s is the longest delay SQS can put on one message. */
  recheckDelaySeconds: z.number().check(z.int(), z.minimum(0), z.maximum(43_200)),
});

export type VerificationPolicy = z.infer<typeof verificationPolicySchema>;

export const DEFAULT_POLICY: VerificationPolicy = Object.freeze({
  valid: 'deliverable',
  roleAccount: 'deliverable',
  possibleTypo: 'rejected',
  disposable: 'rejected',
  invalid: 'rejected',
  invalidFormat: 'rejected',
  missingEmail: 'rejected',
  invalidDomain: 'recheck',
  noMxRecords: 'recheck',
  recheckDelaySeconds: 900,
});

/** A configuration override (JSON): any subset of the table; unknown keys are refused, not ignored. */
export const verificationPolicyOverrideSchema = z.strictObject(z.partial(verificationPolicySchema).shape);

/** The policy from a JSON override (for example an environment variable); absent or blank -> defaults. */
export const policyFromJson = (json: string | undefined): VerificationPolicy => {
  if (json === undefined || json.trim() === '') return DEFAULT_POLICY;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('Verification policy override is not valid JSON');
  }
  const override = verificationPolicyOverrideSchema.safeParse(raw);
  if (!override.success) {
    throw new Error(`Verification policy override is invalid: ${z.prettifyError(override.error)}`);
  }
  return { ...DEFAULT_POLICY, ...override.data };
};

export type VerificationOutcome = 'deliverable' | 'rejected' | 'recheck' | 'transient';

export type VerificationReason =
  | 'valid'
  | 'role-account'
  | 'possible-typo'
  | 'disposable'
  | 'invalid'
  | 'invalid-format'
  | 'missing-email'
  | 'invalid-domain'
  | 'no-mx-records'
  | 'unknown-status'
  | 'contradictory-answer'
  | 'answer-for-another-email'
  /** No answer ever came and an admin released the upload without it. */
  | 'unverified';

export interface Verdict {
  outcome: VerificationOutcome;
  /** Why, in our words; stored on the lead, shown to the admin for rejections. */
  reason: VerificationReason;
  /** The service's `status` as received (truncated): stored on every lead. */
  rawClass: string;
  score: number;
  flags: { roleBased: boolean; disposable: boolean; typoSuggestion?: string; aliasOf?: string };
  /** Set on `recheck`: how long to wait before asking again. */
  recheckAfterSeconds?: number;
}

export interface ClassifyContext {
  /** The lead's email: an answer about another address is never applied to it. */
  expectedEmail?: string;
  /** This answer is the delayed re-check of a domain failure: a second domain failure is final. */
  isRecheck?: boolean;
}

/**
 * Judges one answer from all its fields, never from one flag.
 * Steps: refuse answers about another email, with an unknown status, or whose validations contradict the
 * status (transient: retry, then hold) -> terminal statuses (missing email, bad format, INVALID) -> domain
 * failures (re-check once, then reject) -> disposable, possible typo, role account by the policy's switches
 * -> deliverable only when syntax, domain and MX all hold.
 */
export const classify = (
  answer: VerifierAnswer,
  policy: VerificationPolicy = DEFAULT_POLICY,
  context: ClassifyContext = {},
): Verdict => {
  const v = answer.validations;
  const verdict = (outcome: VerificationOutcome, reason: VerificationReason): Verdict => ({
    outcome,
    reason,
    rawClass: answer.status.slice(0, 40),
    score: answer.score,
    flags: {
      roleBased: v.is_role_based,
      disposable: v.is_disposable,
      ...(answer.typoSuggestion ? { typoSuggestion: answer.typoSuggestion } : {}),
      ...(answer.aliasOf ? { aliasOf: answer.aliasOf } : {}),
    },
  });
  const domainFailure = (action: 'recheck' | 'rejected', reason: 'invalid-domain' | 'no-mx-records') => {
    if (action === 'rejected' || context.isRecheck) return verdict('rejected', reason);
    return { ...verdict('recheck', reason), recheckAfterSeconds: policy.recheckDelaySeconds };
  };

  if (
    context.expectedEmail !== undefined &&
    emailMatchKey(context.expectedEmail) !== emailMatchKey(answer.email)
  ) {
    return verdict('transient', 'answer-for-another-email');
  }
  if (!isKnownVerifierStatus(answer.status)) return verdict('transient', 'unknown-status');
  if (findContradiction(answer)) return verdict('transient', 'contradictory-answer');

  switch (answer.status) {
    case 'MISSING_EMAIL':
      return verdict(policy.missingEmail, 'missing-email');
    case 'INVALID_FORMAT':
      return verdict(policy.invalidFormat, 'invalid-format');
    case 'INVALID':
      return verdict(policy.invalid, 'invalid');
    case 'INVALID_DOMAIN':
      return domainFailure(policy.invalidDomain, 'invalid-domain');
    case 'NO_MX_RECORDS':
      return domainFailure(policy.noMxRecords, 'no-mx-records');
    default:
      break;
  }

  // VALID, PROBABLY_VALID or DISPOSABLE from here: the flags decide, each by its switch, first match wins.
  if (v.is_disposable && policy.disposable === 'rejected') return verdict('rejected', 'disposable');
  const looksLikeTypo = answer.status === 'PROBABLY_VALID' || Boolean(answer.typoSuggestion);
  if (looksLikeTypo && policy.possibleTypo === 'rejected') return verdict('rejected', 'possible-typo');
  if (v.is_role_based && policy.roleAccount === 'rejected') return verdict('rejected', 'role-account');

  // A status allowed through by a switch still needs an address that can receive mail.
  if (!v.syntax) return verdict(policy.invalidFormat, 'invalid-format');
  if (!v.domain_exists) return domainFailure(policy.invalidDomain, 'invalid-domain');
  if (!v.mx_records) return domainFailure(policy.noMxRecords, 'no-mx-records');

  if (v.is_disposable) return verdict(policy.valid, 'disposable');
  if (looksLikeTypo) return verdict(policy.valid, 'possible-typo');
  if (v.is_role_based) return verdict(policy.valid, 'role-account');
  return verdict(policy.valid, 'valid');
};
