import { z } from 'zod';
import type { HeaderMapping, LeadField } from './header-mapping';

/**
 * Validation and normalisation of one data row. The row schema is a zod tuple over the row's values as
 * read: the email column normalises and checks the address; every column's length and the row's total size
 * are one tuple-level check (one loop, instead of a length check object per column). A row costs one
 * safeParse and no intermediate object; the lead object is only built for rows that pass.
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
  const columns: z.ZodType<string>[] = header.map(() => z.string());
  columns[emailIndex] = emailSchema(limits.maxEmailLength);
  const maxLengths = header.map(() => limits.maxExtraLength); // every column not mapped to a field is an extra
  maxLengths[emailIndex] = limits.maxEmailLength; // the email schema reports its own length first
  for (const { index } of fields) maxLengths[index] = limits.maxFieldLength;
  // The tuple type is lost by building the schema from the header at run time; the output is string[].
  const rowSchema = z.tuple(columns as [z.ZodType<string>, ...z.ZodType<string>[]]).check((payload) => {
    const values = payload.value as readonly string[];
    let size = 0;
    for (let index = 0; index < values.length; index++) {
      const length = (values[index] as string).length;
      size += length;
      if (length > (maxLengths[index] as number)) {
        payload.issues.push({
          code: 'custom',
          message: `is longer than ${maxLengths[index]} characters`,
          path: [index],
          input: values[index],
        });
      }
    }
    if (size > limits.maxRowChars) {
      payload.issues.unshift({
        code: 'custom',
        message: `the row is longer than ${limits.maxRowChars} characters`,
        input: values,
      });
    }
  });

  return {
    validate(values) {
      const parsed = rowSchema.safeParse(values);
      if (!parsed.success) return { ok: false, reason: describeIssue(parsed.error.issues[0], header) };
      const output = parsed.data as readonly string[];
      return { ok: true, email: output[emailIndex] as string, output };
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

function emailSchema(maxLength: number): z.ZodType<string> {
  return z
    .string()
    .overwrite(normaliseEmail)
    .min(1, { error: 'is missing', abort: true })
    .max(maxLength, { error: `is longer than ${maxLength} characters`, abort: true })
    .check(z.email({ error: 'is not a valid email address', abort: true }))
    .refine((email) => email.indexOf('@') <= MAX_LOCAL_PART_LENGTH, {
      error: `has more than ${MAX_LOCAL_PART_LENGTH} characters before the @`,
    });
}

function describeIssue(issue: z.core.$ZodIssue | undefined, header: readonly string[]): string {
  if (issue === undefined) return 'the row is not valid';
  const index = issue.path[0];
  const column = typeof index === 'number' ? header[index] : undefined;
  return column === undefined ? issue.message : `"${column}" ${issue.message}`;
}
