import type { VerificationMessage } from '../shared/model';
import * as z from '../shared/zod';
import { VERIFIER_BATCH_LIMIT } from './adapters/verifier-client';

/** Rows are zero-padded to 9 digits in the lead's sort key (model.ts `leadKey`). */
const MAX_ROW = 999_999_999;

export const verificationMessageSchema = z.strictObject({
  uploadId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'an upload id')),
  leads: z
    .array(
      z.object({
        row: z.number().check(z.int(), z.minimum(0), z.maximum(MAX_ROW)),
        email: z.string().check(z.maxLength(320)),
      }),
    )
    .check(z.minLength(1), z.maxLength(VERIFIER_BATCH_LIMIT)),
  recheck: z.optional(z.boolean()),
}) satisfies z.ZodMiniType<VerificationMessage>;

/** A body no delivery can ever process: its record fails every time and ends in the DLQ, as it should. */
export class PoisonMessageError extends Error {
  constructor(readonly problems: string[]) {
    super(`Malformed verification message: ${problems.join('; ')}`);
    this.name = 'PoisonMessageError';
  }
}

/** Parses an SQS body. The error names the bad fields only: a body holds emails, and logs must not. */
export const parseVerificationMessage = (body: string): VerificationMessage => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new PoisonMessageError(['body is not JSON']);
  }
  const parsed = verificationMessageSchema.safeParse(json);
  if (!parsed.success) {
    throw new PoisonMessageError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`),
    );
  }
  return parsed.data;
};

/** The body of a message: what ingest sends and the re-check re-sends. */
export const verificationMessageBody = (message: VerificationMessage): string => JSON.stringify(message);
