import { describe, expect, it } from 'vitest';
import { PoisonMessageError, parseVerificationMessage, verificationMessageBody } from './message';

const valid = {
  uploadId: '01JDXZ8Q7M5Y3K2V1T0S9R8P7N',
  leads: [
    { row: 1, email: 'jane.doe@example.com' },
    { row: 2, email: 'not-an-email' },
  ],
};

/** The PoisonMessageError a body produces; fails the test when it parses. */
const poisonOf = (body: string): PoisonMessageError => {
  try {
    parseVerificationMessage(body);
  } catch (error) {
    if (error instanceof PoisonMessageError) return error;
    throw error;
  }
  return expect.fail('expected a poison message');
};

describe('verification message', () => {
  it('round-trips what ingest and the re-check send', () => {
    expect(parseVerificationMessage(verificationMessageBody(valid))).toEqual(valid);
    expect(parseVerificationMessage(verificationMessageBody({ ...valid, recheck: true }))).toEqual({
      ...valid,
      recheck: true,
    });
  });

  it.each([
    ['not JSON', 'leads: 1,2', /not JSON/],
    [
      'rows without emails (an older shape)',
      JSON.stringify({ uploadId: valid.uploadId, rows: [1, 2] }),
      /leads/,
    ],
    ['no leads', JSON.stringify({ ...valid, leads: [] }), /leads/],
    [
      'more than one verifier batch',
      JSON.stringify({
        ...valid,
        leads: Array.from({ length: 101 }, (_, row) => ({ row, email: `l${row}@example.com` })),
      }),
      /leads/,
    ],
    [
      'a negative row',
      JSON.stringify({ ...valid, leads: [{ row: -1, email: 'a@example.com' }] }),
      /leads\.0\.row/,
    ],
    ['an upload id with a key separator', JSON.stringify({ ...valid, uploadId: 'a#b' }), /uploadId/],
    ['an unknown field', JSON.stringify({ ...valid, priority: 1 }), /unrecognized_keys/],
  ])('refuses %s as poison, naming the field', (_, body, problem) => {
    expect(poisonOf(body).message).toMatch(problem);
  });

  it('never quotes the body (it holds emails) in its error', () => {
    const error = poisonOf(
      JSON.stringify({ ...valid, leads: [{ row: 'one', email: 'leak.me@example.com' }] }),
    );
    expect(error.message).not.toContain('leak.me@example.com');
    expect(error.problems).toEqual(['leads.0.row: invalid_type']);
  });
});
