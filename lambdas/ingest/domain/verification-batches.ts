import type { VerificationMessage } from './ports';

export interface VerificationBatchLimits {
  /** Leads per queue message (the verifier's batch size). */
  leadsPerMessage: number;
  /** Messages per SendMessageBatch call (SQS: 10). */
  messagesPerCall: number;
  /** Bodies per SendMessageBatch call, in bytes (SQS: 256 KiB in total; we keep a margin for attributes). */
  maxCallBytes: number;
}

export const DEFAULT_VERIFICATION_BATCH_LIMITS: VerificationBatchLimits = {
  leadsPerMessage: 100,
  messagesPerCall: 10,
  maxCallBytes: 240 * 1024,
};

/**
 * Cuts accepted leads (in row order) into messages and the messages into SendMessageBatch calls. The
 * message ids come from the rows, so a replayed chunk produces the very same messages.
 */
export function planVerificationCalls(
  uploadId: string,
  leads: readonly { row: number; email: string }[],
  limits: VerificationBatchLimits = DEFAULT_VERIFICATION_BATCH_LIMITS,
): VerificationMessage[][] {
  const calls: VerificationMessage[][] = [];
  let call: VerificationMessage[] = [];
  let callBytes = 0;
  for (let start = 0; start < leads.length; start += limits.leadsPerMessage) {
    const batch = leads.slice(start, start + limits.leadsPerMessage);
    const message: VerificationMessage = {
      batchId: `${uploadId}:${(batch[0] as { row: number }).row}`,
      uploadId,
      leads: batch.map(({ row, email }) => ({ row, email })),
    };
    const bytes = Buffer.byteLength(JSON.stringify(message));
    if (
      call.length > 0 &&
      (call.length >= limits.messagesPerCall || callBytes + bytes > limits.maxCallBytes)
    ) {
      calls.push(call);
      call = [];
      callBytes = 0;
    }
    call.push(message);
    callBytes += bytes;
  }
  if (call.length > 0) calls.push(call);
  return calls;
}
