import { MEMBER_ID_PATTERN, UPLOAD_ID_PATTERN } from '../../shared/model';
import * as z from '../../shared/zod';
import type { Verdict } from '../../verification/domain/policy';

/**
 * Returns: a member hands back a delivered lead and, once the return is approved, is owed one replacement
 * on the next run. The rules here are pure; `../returns.ts` applies them to the stored items.
 */

export const RETURN_REASONS = ['bounced', 'wrong_person', 'duplicate_of_mine', 'other'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export const RETURN_STATES = ['pending', 'approved', 'refused'] as const;
export type ReturnState = (typeof RETURN_STATES)[number];

/** Why a return is refused on the spot (it is then not recorded). */
export const RETURN_REFUSALS = ['outside_window', 'over_weekly_cap', 'already_returned'] as const;
export type ReturnRefusal = (typeof RETURN_REFUSALS)[number];

export interface ReturnSettings {
  /** A lead can be returned up to this many days after its delivery. */
  readonly windowDays: number;
  /** At most this share (percent) of the leads a member received in a week can be returned. */
  readonly maxPercentPerWeek: number;
}

export const DEFAULT_RETURN_SETTINGS: ReturnSettings = { windowDays: 7, maxPercentPerWeek: 20 };

export const ReturnRequestSchema = z
  .strictObject({
    email: z
      .string()
      .check(
        z.trim(),
        z.minLength(3),
        z.maxLength(320),
        z.meta({ description: 'the email address of the delivered lead' }),
      ),
    reason: z.enum(RETURN_REASONS),
    text: z
      .optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500)))
      .check(z.meta({ description: 'required with reason `other`: what is wrong with the lead' })),
  })
  .check(
    z.refine((body) => body.reason !== 'other' || body.text !== undefined, {
      message: 'say what is wrong with the lead in `text` when the reason is `other`',
      path: ['text'],
    }),
  );
export type ReturnRequest = z.infer<typeof ReturnRequestSchema>;

/**
 * A return's id names the member and the lead (`<uploadId>.<row>.<memberId>`): one return per lead and
 * member, and an admin's approval reads it with one GetItem.
 */
export const returnIdOf = (ref: { uploadId: string; row: number; memberId: string }) =>
  `${ref.uploadId}.${ref.row}.${ref.memberId}`;

const RETURN_ID = new RegExp(
  `^(${UPLOAD_ID_PATTERN.source.slice(1, -1)})\\.(\\d{1,9})\\.(${MEMBER_ID_PATTERN.source.slice(1, -1)})$`,
);
export const RETURN_ID_MESSAGE = 'not a return id (<uploadId>.<row>.<memberId>)';

export const parseReturnId = (
  id: string,
): { uploadId: string; row: number; memberId: string } | undefined => {
  const match = RETURN_ID.exec(id);
  return match
    ? { uploadId: match[1] as string, row: Number(match[2]), memberId: match[3] as string }
    : undefined;
};

/** The earliest delivery time a return made at `now` may still concern. */
export const windowStart = (now: Date, settings: ReturnSettings): Date =>
  new Date(now.getTime() - settings.windowDays * 86_400_000);

/** How many of a week's deliveries may be returned: the configured share, rounded down. */
export const weeklyReturnCap = (receivedThatWeek: number, settings: ReturnSettings): number =>
  Math.floor((Math.max(0, receivedThatWeek) * settings.maxPercentPerWeek) / 100);

/**
 * The replacements a run delivers for a member: what they were owed is served before their quota, so it is
 * the smaller of what was owed when the run planned and what the run delivered.
 */
export const replacementsDelivered = (owed: number, delivered: number): number =>
  Math.max(0, Math.min(owed, delivered));

/** A return as the member and the admins see it. */
export const ReturnViewSchema = z
  .strictObject({
    returnId: z.string(),
    memberId: z.string(),
    uploadId: z.string(),
    row: z.number().check(z.int()),
    assignedAt: z.string().check(z.meta({ description: 'when the lead was delivered' })),
    weekKey: z.string().check(z.meta({ description: 'the week whose deliveries the return counts against' })),
    reason: z.enum(RETURN_REASONS),
    text: z.optional(z.string()),
    state: z.enum(RETURN_STATES),
    createdAt: z.string(),
    decidedAt: z.optional(z.string()),
    decidedBy: z.optional(z.string()),
    note: z.optional(z.string()),
  })
  .check(z.meta({ id: 'LeadReturn' }));
export type ReturnView = z.infer<typeof ReturnViewSchema>;

export const returnView = (item: {
  returnId: string;
  memberId: string;
  uploadId: string;
  row: number;
  assignedAt: string;
  weekKey: string;
  reason: string;
  text?: string;
  state: ReturnState;
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
  note?: string;
}): ReturnView => ({
  returnId: item.returnId,
  memberId: item.memberId,
  uploadId: item.uploadId,
  row: item.row,
  assignedAt: item.assignedAt,
  weekKey: item.weekKey,
  reason: item.reason as ReturnReason,
  ...(item.text === undefined ? {} : { text: item.text }),
  state: item.state,
  createdAt: item.createdAt,
  ...(item.decidedAt === undefined ? {} : { decidedAt: item.decidedAt }),
  ...(item.decidedBy === undefined ? {} : { decidedBy: item.decidedBy }),
  ...(item.note === undefined ? {} : { note: item.note }),
});

export const ReturnListSchema = z.strictObject({ returns: z.array(ReturnViewSchema) });

/** Who decided a return approved because its address is known to bounce hard. */
export const AUTOMATIC_DECIDER = 'automatic';

/**
 * Whether the verifier's verdict on an address means mail to it bounces hard: the mailbox or its domain
 * does not exist (domain failures taken as final, as on a re-check). Anything else, or no verdict, leaves the
 * return to an admin.
 */
export const isHardBounce = (verdict: Pick<Verdict, 'outcome' | 'reason'> | undefined): boolean =>
  verdict?.outcome === 'rejected' && HARD_BOUNCE_REASONS.has(verdict.reason);

const HARD_BOUNCE_REASONS: ReadonlySet<string> = new Set(['invalid', 'invalid-domain', 'no-mx-records']);
