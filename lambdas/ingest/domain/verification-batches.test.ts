import { describe, expect, it } from 'vitest';
import { DEFAULT_VERIFICATION_BATCH_LIMITS, planVerificationCalls } from './verification-batches';

const leads = (count: number, firstRow = 1) =>
  Array.from({ length: count }, (_, index) => ({ row: firstRow + index, email: `user${index}@example.com` }));

describe('planVerificationCalls', () => {
  it('puts up to 100 leads in a message and up to 10 messages in a call', () => {
    const calls = planVerificationCalls('up1', leads(2050));

    expect(calls.map((call) => call.map((message) => message.leads.length))).toEqual([
      [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
      [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
      [50],
    ]);
  });

  it('names each message after the upload and its first row, so a replay sends the same ids', () => {
    const calls = planVerificationCalls('up1', leads(150, 1001));

    expect(calls.flat().map((message) => message.batchId)).toEqual(['up1:1001', 'up1:1101']);
    expect(planVerificationCalls('up1', leads(150, 1001))).toEqual(calls);
  });

  it('starts a new call before the bodies would pass the byte limit', () => {
    const longEmails = leads(300).map((lead) => ({ ...lead, email: `${'x'.repeat(60)}${lead.email}` }));

    const calls = planVerificationCalls('up1', longEmails, {
      ...DEFAULT_VERIFICATION_BATCH_LIMITS,
      maxCallBytes: 25_000,
    });

    expect(calls.map((call) => call.length)).toEqual([2, 1]);
    for (const call of calls) expect(Buffer.byteLength(JSON.stringify(call))).toBeLessThan(25_000);
  });

  it('plans nothing for no leads', () => {
    expect(planVerificationCalls('up1', [])).toEqual([]);
  });
});
