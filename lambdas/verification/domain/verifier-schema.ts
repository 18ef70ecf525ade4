import * as z from '../../shared/zod';

/**
 * The Rapid Email Verifier answer, as its server sends it (see docs/verifier/README.md). The documented web page names
 * other fields (`is_valid`, `has_mx_record`, `suggestion`) the server never sends: parse this shape only.
 */

/** Statuses the service is known to send. Anything else is "unknown": retried, then held, never valid. */
export const KNOWN_VERIFIER_STATUSES = [
  'VALID',
  'PROBABLY_VALID',
  'INVALID',
  'MISSING_EMAIL',
  'INVALID_FORMAT',
  'INVALID_DOMAIN',
  'NO_MX_RECORDS',
  'DISPOSABLE',
] as const;

export type KnownVerifierStatus = (typeof KNOWN_VERIFIER_STATUSES)[number];

export const isKnownVerifierStatus = (status: string): status is KnownVerifierStatus =>
  (KNOWN_VERIFIER_STATUSES as readonly string[]).includes(status);

export const verifierValidationsSchema = z.object({
  syntax: z.boolean(),
  domain_exists: z.boolean(),
  mx_records: z.boolean(),
  mailbox_exists: z.boolean(),
  is_disposable: z.boolean(),
  is_role_based: z.boolean(),
});

export const verifierAnswerSchema = z.object({
  email: z.string(),
  validations: verifierValidationsSchema,
  score: z.number(),
  // A plain string on purpose: an unknown status is a per-lead "hold", not a reason to discard the batch.
  status: z.string(),
  typoSuggestion: z.optional(z.string()),
  aliasOf: z.optional(z.string()),
});

export const verifierBatchAnswerSchema = z.object({ results: z.array(verifierAnswerSchema) });

export const verifierErrorBodySchema = z.object({ error: z.string() });

export type VerifierValidations = z.infer<typeof verifierValidationsSchema>;
export type VerifierAnswer = z.infer<typeof verifierAnswerSchema>;
export type VerifierBatchAnswer = z.infer<typeof verifierBatchAnswerSchema>;

/** The service matches by email; so do we, ignoring case and surrounding blanks. */
export const emailMatchKey = (email: string): string => email.trim().toLowerCase();

/**
 * Says why an answer's `validations` contradict its `status`, or undefined when they agree. Rules follow
 * "How the service decides" in docs/verifier/README.md: the checks run in order syntax -> domain -> MX -> disposable ->
 * score, so each status implies what the earlier checks found. `mailbox_exists` only mirrors `mx_records`.
 * Unknown statuses are not judged here (the policy holds them).
 */
export const findContradiction = (answer: VerifierAnswer): string | undefined => {
  const v = answer.validations;
  if (v.mailbox_exists && !v.mx_records) return 'mailbox_exists without mx_records';
  switch (answer.status) {
    case 'VALID':
    case 'PROBABLY_VALID':
      if (!v.syntax) return `${answer.status} with syntax false`;
      if (!v.domain_exists) return `${answer.status} with domain_exists false`;
      if (!v.mx_records) return `${answer.status} with mx_records false`;
      if (!v.mailbox_exists) return `${answer.status} with mailbox_exists false`;
      if (v.is_disposable) return `${answer.status} with is_disposable true`;
      return undefined;
    case 'MISSING_EMAIL':
      if (answer.email.trim() !== '') return 'MISSING_EMAIL for a non-empty email';
      if (v.syntax) return 'MISSING_EMAIL with syntax true';
      return undefined;
    case 'INVALID_FORMAT':
      if (v.syntax) return 'INVALID_FORMAT with syntax true';
      return undefined;
    case 'INVALID_DOMAIN':
      if (!v.syntax) return 'INVALID_DOMAIN with syntax false';
      if (v.domain_exists) return 'INVALID_DOMAIN with domain_exists true';
      return undefined;
    case 'NO_MX_RECORDS':
      if (!v.syntax) return 'NO_MX_RECORDS with syntax false';
      if (!v.domain_exists) return 'NO_MX_RECORDS with domain_exists false';
      if (v.mx_records) return 'NO_MX_RECORDS with mx_records true';
      return undefined;
    case 'DISPOSABLE':
      if (!v.syntax) return 'DISPOSABLE with syntax false';
      if (!v.is_disposable) return 'DISPOSABLE with is_disposable false';
      return undefined;
    default:
      // INVALID (unreachable in the service's code) rejects anyway; unknown statuses are held by the policy.
      return undefined;
  }
};
