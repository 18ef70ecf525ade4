import { domainToASCII } from 'node:url';

/**
 * The suppression list: people who must never be contacted. An email is kept only as its keyed hash (the
 * lead hash: HMAC(pepper, normalised address), so it matches a lead's `emailHash` and an ingest row's hash
 * without the address being stored); a whole domain is kept as it is (a domain is not personal data) and
 * covers its subdomains too.
 */

export type SuppressionKind = 'email' | 'domain';

/** Where an entry came from: an admin's single add, a CSV import, or an erasure (privacy request). */
export type SuppressionSource = 'admin' | 'import' | 'erasure';

export interface SuppressionSnapshot {
  readonly emailHashes: ReadonlySet<string>;
  readonly domains: ReadonlySet<string>;
}

export const EMPTY_SUPPRESSION: SuppressionSnapshot = { emailHashes: new Set(), domains: new Set() };

/** True when the address's hash is listed, or its domain or any parent domain of it is. */
export const isSuppressed = (list: SuppressionSnapshot, email: string, emailHash: string): boolean => {
  if (list.emailHashes.has(emailHash)) return true;
  if (list.domains.size === 0) return false;
  let domain = email.slice(email.lastIndexOf('@') + 1);
  for (;;) {
    if (list.domains.has(domain)) return true;
    const dot = domain.indexOf('.');
    if (dot === -1) return false;
    domain = domain.slice(dot + 1);
  }
};

/** The partition the list lives under in the control table. */
export const SUPPRESSION_PK_LITERAL = 'SUPPRESSION';

/** Rows one import may hold. */
export const MAX_SUPPRESSION_IMPORT_ROWS = 10_000;

/** The reason an ingest row or a queued lead is refused with. */
export const SUPPRESSED_REASON = 'suppressed';

const NON_ASCII = /[\u0080-\uffff]/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A domain as the list keeps it: trimmed, lower case, a leading `@` dropped, internationalised names in
 * their ASCII (punycode) form, as lead emails are stored. At least two labels: a bare top-level domain
 * would suppress a whole country.
 */
export const parseDomain = (raw: string): { ok: true; domain: string } | { ok: false; reason: string } => {
  const trimmed = raw.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  const ascii = NON_ASCII.test(trimmed) ? domainToASCII(trimmed) : trimmed;
  const labels = ascii.split('.');
  if (ascii === '' || ascii.length > 253 || !labels.every((label) => LABEL.test(label))) {
    return { ok: false, reason: 'is not a valid domain name' };
  }
  if (labels.length < 2)
    return { ok: false, reason: 'is a top-level domain; give a domain such as example.com' };
  return { ok: true, domain: ascii };
};

/** The id an entry is addressed by in the API: the kind and its key (a hash or a domain). */
export const suppressionId = (kind: SuppressionKind, key: string) => `${kind}:${key}`;

export const parseSuppressionId = (id: string): { kind: SuppressionKind; key: string } | undefined => {
  const match = /^(email|domain):(.+)$/.exec(id);
  return match ? { kind: match[1] as SuppressionKind, key: match[2] as string } : undefined;
};
