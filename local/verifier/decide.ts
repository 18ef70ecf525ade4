import { createRequire } from 'node:module';
import * as z from '../../lambdas/shared/zod';
import type { VerifierAnswer } from '../../lambdas/verification/domain/verifier-schema';

/**
 * The verifier stand-in's judgement, following "How the service decides" in docs/verifier/README.md, with DNS replaced
 * by configuration: every domain exists and has MX records unless listed as dead.
 */

/** Domains that fail DNS. An entry matches itself and every name under it (`invalid` matches `x.invalid`). */
export interface DeadDomains {
  /** No address record: INVALID_DOMAIN. */
  noDomain: readonly string[];
  /** An address record but no MX: NO_MX_RECORDS. */
  noMx: readonly string[];
}

export const DEFAULT_DEAD_DOMAINS: DeadDomains = {
  noDomain: ['invalid', 'test'],
  noMx: ['parked-domain.example'],
};

export const ROLE_LOCAL_PARTS: readonly string[] = [
  'abuse',
  'accounts',
  'admin',
  'billing',
  'careers',
  'contact',
  'enquiries',
  'help',
  'hello',
  'hostmaster',
  'hr',
  'info',
  'inquiries',
  'jobs',
  'marketing',
  'media',
  'no-reply',
  'noreply',
  'office',
  'postmaster',
  'press',
  'sales',
  'security',
  'service',
  'support',
  'team',
  'webmaster',
];

/** Common misspellings of big providers' domains -> the domain meant. */
export const TYPO_DOMAINS: Readonly<Record<string, string>> = {
  'gmial.com': 'gmail.com',
  'gmal.com': 'gmail.com',
  'gmai.com': 'gmail.com',
  'gamil.com': 'gmail.com',
  'gnail.com': 'gmail.com',
  'gmaill.com': 'gmail.com',
  'gmail.co': 'gmail.com',
  'gmail.con': 'gmail.com',
  'hotmial.com': 'hotmail.com',
  'hotmal.com': 'hotmail.com',
  'hotmai.com': 'hotmail.com',
  'hotamil.com': 'hotmail.com',
  'hotmail.con': 'hotmail.com',
  'yaho.com': 'yahoo.com',
  'yahooo.com': 'yahoo.com',
  'yhoo.com': 'yahoo.com',
  'yahoo.con': 'yahoo.com',
  'outlok.com': 'outlook.com',
  'outllok.com': 'outlook.com',
  'outlook.con': 'outlook.com',
  'iclod.com': 'icloud.com',
  'iclud.com': 'icloud.com',
  'icloud.con': 'icloud.com',
  'aol.con': 'aol.com',
};

export interface DecideConfig {
  deadDomains: DeadDomains;
  /** Exact disposable domains. */
  disposableDomains: ReadonlySet<string>;
  /** Disposable domains whose every subdomain is disposable too. */
  disposableWildcards: ReadonlySet<string>;
  roleLocalParts: ReadonlySet<string>;
  typoDomains: Readonly<Record<string, string>>;
}

const domainListSchema = z.array(z.string());

/**
 * The `disposable-email-domains` package is CommonJS whose main is a JSON array (index.json, ~120k names;
 * wildcard.json for whole subtrees). Loaded with require so it works the same under Node, tsx and vitest,
 * without JSON import attributes.
 */
export const loadDisposableDomains = (): { exact: Set<string>; wildcards: Set<string> } => {
  const require = createRequire(import.meta.url);
  return {
    exact: new Set(domainListSchema.parse(require('disposable-email-domains'))),
    wildcards: new Set(domainListSchema.parse(require('disposable-email-domains/wildcard.json'))),
  };
};

export const createDecideConfig = (overrides: { deadDomains?: Partial<DeadDomains> } = {}): DecideConfig => {
  const disposable = loadDisposableDomains();
  return {
    deadDomains: { ...DEFAULT_DEAD_DOMAINS, ...overrides.deadDomains },
    disposableDomains: disposable.exact,
    disposableWildcards: disposable.wildcards,
    roleLocalParts: new Set(ROLE_LOCAL_PARTS),
    typoDomains: TYPO_DOMAINS,
  };
};

// Dot-atom local part and LDH domain labels: enough to tell "looks like an address" from not.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LEVEL_LABEL = /^[A-Za-z]{2,63}$/;

export const hasValidSyntax = (email: string): boolean => {
  const parts = email.split('@');
  if (parts.length !== 2 || email.length > 254) return false;
  const [local = '', domain = ''] = parts;
  if (local.length === 0 || local.length > 64 || !LOCAL_PART.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  return labels.every((label) => DOMAIN_LABEL.test(label)) && TOP_LEVEL_LABEL.test(labels.at(-1) ?? '');
};

const isUnder = (domain: string, entries: Iterable<string>): boolean => {
  for (const entry of entries) {
    const bare = entry.replace(/^\.+/, '').toLowerCase();
    if (domain === bare || domain.endsWith(`.${bare}`)) return true;
  }
  return false;
};

const isDisposable = (domain: string, config: DecideConfig): boolean => {
  if (config.disposableDomains.has(domain)) return true;
  const labels = domain.split('.');
  // Every parent domain, so that `x.33mail.com` matches the wildcard `33mail.com`.
  for (let i = 0; i < labels.length - 1; i++) {
    if (config.disposableWildcards.has(labels.slice(i).join('.'))) return true;
  }
  return false;
};

const NOTHING_VALID = {
  syntax: false,
  domain_exists: false,
  mx_records: false,
  mailbox_exists: false,
  is_disposable: false,
  is_role_based: false,
};

export interface DnsOverride {
  /** Simulate the service's 2-second DNS timeouts: the MX lookup counts as false. */
  mxLookupTimesOut?: boolean;
}

/** One answer, as the real service would give it for this email under this configuration. */
export const decide = (email: string, config: DecideConfig, dns: DnsOverride = {}): VerifierAnswer => {
  if (email.trim() === '')
    return { email, validations: { ...NOTHING_VALID }, score: 0, status: 'MISSING_EMAIL' };
  if (!hasValidSyntax(email))
    return { email, validations: { ...NOTHING_VALID }, score: 0, status: 'INVALID_FORMAT' };

  const at = email.lastIndexOf('@');
  const local = email.slice(0, at).toLowerCase();
  const domain = email.slice(at + 1).toLowerCase();
  const domainExists = !isUnder(domain, config.deadDomains.noDomain);
  const mxRecords = domainExists && !isUnder(domain, config.deadDomains.noMx) && !dns.mxLookupTimesOut;
  const disposable = isDisposable(domain, config);
  const roleBased = config.roleLocalParts.has(local);
  const correctedDomain = config.typoDomains[domain];
  const typoSuggestion = correctedDomain ? `${email.slice(0, at)}@${correctedDomain}` : undefined;

  const validations = {
    syntax: true,
    domain_exists: domainExists,
    mx_records: mxRecords,
    // The service makes no SMTP probe: "mailbox" only mirrors MX.
    mailbox_exists: mxRecords,
    is_disposable: disposable,
    is_role_based: roleBased,
  };
  const score =
    20 +
    (domainExists ? 20 : 0) +
    (mxRecords ? 20 : 0) +
    (validations.mailbox_exists ? 20 : 0) +
    (disposable ? 0 : 10) +
    (roleBased ? 0 : 10) -
    (typoSuggestion ? 20 : 0);
  const extras = typoSuggestion ? { typoSuggestion } : {};

  if (!domainExists) return { email, validations, score, status: 'INVALID_DOMAIN', ...extras };
  if (!mxRecords) return { email, validations, score: 40, status: 'NO_MX_RECORDS', ...extras };
  if (disposable) return { email, validations, score, status: 'DISPOSABLE', ...extras };
  const status = score >= 90 ? 'VALID' : score >= 70 ? 'PROBABLY_VALID' : 'INVALID';
  return { email, validations, score, status, ...extras };
};
