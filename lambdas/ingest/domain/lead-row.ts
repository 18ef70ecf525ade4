import { domainToASCII } from 'node:url';
import { regexes } from '../../shared/zod';
import type { HeaderMapping, LeadField } from './header-mapping';

/**
 * Validation and normalisation of one data row. The email column goes through a check that normalises and
 * validates the address (zod's email pattern, checked in a plain function: a zod schema per row was a
 * quarter of the row's CPU); every other column only has a length limit, checked with the row's total size
 * in one loop over the values. Reasons come out in a fixed order: the row's size, then the
 * email, then the first column that is too long. The lead object is only built for rows that pass.
 */

export interface LeadLimits {
  /** RFC 5321: 254 characters for the address, 64 for the local part. */
  maxEmailLength: number;
  /** Canonical fields (names, company, ...). */
  maxFieldLength: number;
  /** Extra attributes (columns we do not know). */
  maxExtraLength: number;
  /** Sum of all the row's values. */
  maxRowChars: number;
}

export const DEFAULT_LEAD_LIMITS: LeadLimits = {
  maxEmailLength: 254,
  maxFieldLength: 256,
  maxExtraLength: 1024,
  maxRowChars: 8192,
};

const MAX_LOCAL_PART_LENGTH = 64;

export interface ValidLead {
  /** Normalised: trimmed, lower case, Unicode NFC. */
  email: string;
  /** Canonical fields that had a value. */
  fields: Partial<Record<LeadField, string>>;
  /** Unknown columns that had a value, by their (unique) header name. */
  extras: Record<string, string>;
}

export type RowVerdict =
  | { ok: true; email: string; output: readonly string[] }
  | { ok: false; reason: string };

export interface RowValidator {
  /** Checks a row whose field count already matches the header. */
  validate(values: readonly string[]): RowVerdict;
  /** Builds the lead of a row that passed (from `output`, the validated values). */
  toLead(output: readonly string[]): ValidLead;
}

/** Trim, lower case, NFC. ASCII is already in NFC, so the (comparatively slow) normalize is skipped for it. */
export function normaliseEmail(raw: string): string {
  const lowered = raw.trim().toLowerCase();
  return NON_ASCII.test(lowered) ? lowered.normalize('NFC') : lowered;
}

const NON_ASCII = /[\u0080-\uffff]/;

export interface DedupeKeyOptions {
  /** Treat Gmail's equivalent spellings as one address: dots and `+tag` ignored, googlemail.com = gmail.com. */
  foldGmailAliases: boolean;
}

/** The string the lead hash is computed from: the normalised email, folded further when configured. */
export function dedupeKey(normalisedEmail: string, options: DedupeKeyOptions): string {
  if (!options.foldGmailAliases) return normalisedEmail;
  const at = normalisedEmail.lastIndexOf('@');
  const domain = normalisedEmail.slice(at + 1);
  if (domain !== 'gmail.com' && domain !== 'googlemail.com') return normalisedEmail;
  const local = normalisedEmail.slice(0, at);
  const plus = local.indexOf('+');
  const untagged = plus === -1 ? local : local.slice(0, plus);
  return `${untagged.replaceAll('.', '')}@gmail.com`;
}

export function createRowValidator(
  mapping: HeaderMapping,
  limits: LeadLimits = DEFAULT_LEAD_LIMITS,
): RowValidator {
  const { header, emailIndex, fields, extras } = mapping;
  const checkEmail = emailCheck(limits.maxEmailLength);
  const maxLengths = header.map(() => limits.maxExtraLength); // every column not mapped to a field is an extra
  for (const { index } of fields) maxLengths[index] = limits.maxFieldLength;

  return {
    validate(values) {
      // One pass for the sizes; the email's own length is the schema's business.
      let size = 0;
      let tooLong = -1;
      for (let index = 0; index < values.length; index++) {
        const length = (values[index] as string).length;
        size += length;
        if (tooLong === -1 && index !== emailIndex && length > (maxLengths[index] as number)) tooLong = index;
      }
      if (size > limits.maxRowChars)
        return { ok: false, reason: `the row is longer than ${limits.maxRowChars} characters` };
      const email = checkEmail(values[emailIndex] as string);
      if (email.problem !== undefined)
        return { ok: false, reason: `"${header[emailIndex]}" ${email.problem}` };
      if (tooLong !== -1) {
        return { ok: false, reason: `"${header[tooLong]}" is longer than ${maxLengths[tooLong]} characters` };
      }
      const output = values.slice();
      output[emailIndex] = email.value;
      return { ok: true, email: email.value, output };
    },
    toLead(output) {
      const leadFields: Partial<Record<LeadField, string>> = {};
      for (const { field, index } of fields) {
        const value = output[index];
        if (value) leadFields[field] = value;
      }
      const leadExtras: Record<string, string> = {};
      for (const { name, index } of extras) {
        const value = output[index];
        // defineProperty: a column named "__proto__" must become data, not a prototype.
        if (value) Object.defineProperty(leadExtras, name, { value, enumerable: true, writable: true });
      }
      return { email: output[emailIndex] as string, fields: leadFields, extras: leadExtras };
    },
  };
}

/**
 * An internationalised domain (`user@bücher.example`) is kept in its ASCII (punycode) form, the one DNS and the
 * verifier take: `user@xn--bcher-kva.example`. Both spellings of an address are then one lead. A domain that
 * has no ASCII form is left as it is, for the check below to reject.
 */
function asciiDomain(email: string): string {
  const at = email.lastIndexOf('@');
  if (at === -1 || !NON_ASCII.test(email.slice(at + 1))) return email;
  const ascii = domainToASCII(email.slice(at + 1));
  return ascii === '' ? email : `${email.slice(0, at + 1)}${ascii}`;
}

type EmailCheck = { value: string; problem?: undefined } | { problem: string };

/** The checks only a non-ASCII address can fail (NFC may still turn it into ASCII, so all of them run). */
function nonAsciiEmail(normalised: string): string | { problem: string } {
  if (NON_ASCII.test(normalised.slice(0, Math.max(0, normalised.lastIndexOf('@')))))
    return {
      problem: 'has non-ASCII characters before the @; the email verifier only checks ASCII mailbox names',
    };
  const email = asciiDomain(normalised);
  if (NON_ASCII.test(email))
    return { problem: 'has a domain that is not a valid internationalised domain name' };
  return email;
}

/**
 * Normalises an email and checks it, in this order, each failure final: present, an ASCII mailbox name, an
 * internationalised domain that has an ASCII form, an ASCII top-level domain, at most `maxLength`
 * characters, zod's email pattern, then the local part's length.
 */
function emailCheck(maxLength: number): (raw: string) => EmailCheck {
  const tooLong = `is longer than ${maxLength} characters`;
  const localTooLong = `has more than ${MAX_LOCAL_PART_LENGTH} characters before the @`;
  const pattern = regexes.email;
  return (raw) => {
    const lowered = raw.trim().toLowerCase();
    if (lowered.length < 1) return { problem: 'is missing' };
    // An ASCII address (nearly all) passes the non-ASCII checks as it is: one test instead of four.
    const email = NON_ASCII.test(lowered) ? nonAsciiEmail(lowered.normalize('NFC')) : lowered;
    if (typeof email !== 'string') return email;
    if (email.startsWith('xn--', email.lastIndexOf('.') + 1))
      return {
        problem: 'has an internationalised top-level domain; only ASCII top-level domains are accepted',
      };
    if (email.length > maxLength) return { problem: tooLong };
    if (!pattern.test(email)) return { problem: 'is not a valid email address' };
    if (email.indexOf('@') > MAX_LOCAL_PART_LENGTH) return { problem: localTooLong };
    return { value: email };
  };
}

const leadEmail = emailCheck(DEFAULT_LEAD_LIMITS.maxEmailLength);

/**
 * One address read exactly as an ingest row's email column is (normalised, IDN domains in ASCII, checked),
 * for the places that must find the lead hash of an address typed by an admin.
 */
export function parseLeadEmail(raw: string): { ok: true; email: string } | { ok: false; reason: string } {
  const checked = leadEmail(raw);
  return 'value' in checked ? { ok: true, email: checked.value } : { ok: false, reason: checked.problem };
}
