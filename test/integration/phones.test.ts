import { randomInt, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runtime';
import { useLocalStack } from '../support/local-stack';
import { leadsOf, resultRows, uploadFile } from '../support/uploads';

/** A London number no other test uses, in national and in international writing. */
const londonNumber = () => {
  const subscriber = String(randomInt(1_000_000, 9_999_999));
  return {
    national: `020 7${subscriber.slice(0, 3)} ${subscriber.slice(3)}`,
    international: `+44 20 7${subscriber.slice(0, 3)} ${subscriber.slice(3)}`,
    e164: `+44207${subscriber}`,
  };
};

/** A first file with the phone, then a second whose other address carries the same phone written otherwise. */
const uploadPhoneTwice = async (stack: LocalStack) => {
  const phone = londonNumber();
  const tag = randomUUID().slice(0, 8);
  const first = await uploadFile(
    stack,
    `email,phone\nfirst-${tag}@example.com,${phone.national}\nodd-${tag}@example.com,not a phone\n`,
  );
  const second = await uploadFile(
    stack,
    `email,phone\nsecond-${tag}@example.com,${phone.international}\nthird-${tag}@example.com,${phone.national}\n`,
  );
  return { phone, first: first.upload, second: second.upload };
};

describe('phones with the default dedupe (email only)', () => {
  const stack = useLocalStack({
    disabledConsumers: ['verification'],
    env: { DEFAULT_PHONE_REGION: 'GB' },
  });

  it('stores E.164 and keeps a lead whose phone cannot be read, flagged in the lead and the result file', async () => {
    const { phone, first } = await uploadPhoneTwice(stack.current);

    const leads = await leadsOf(stack.current, first.uploadId);
    expect(leads.map((lead) => [lead.phone, lead.phoneUnreadable])).toEqual([
      [phone.e164, undefined],
      ['not a phone', true],
    ]);
    const rows = await resultRows(stack.current, first.uploadId);
    expect(rows[2]?.slice(0, 3)).toEqual(['2', 'accepted', expect.stringContaining('phone not recognised')]);
    expect(first).toMatchObject({ accepted: 2, rejected: 0 });
  });

  it('never counts a repeated phone as a duplicate', async () => {
    const { second } = await uploadPhoneTwice(stack.current);

    expect(second).toMatchObject({ rowsRead: 2, accepted: 2, duplicateInFile: 0, duplicateOfEarlier: 0 });
  });
});

describe('phones with uploads.dedupeOn = ["email", "phone"]', () => {
  const stack = useLocalStack({
    disabledConsumers: ['verification'],
    env: { DEFAULT_PHONE_REGION: 'GB', DEDUPE_ON_PHONE: 'true' },
  });

  it('counts a phone an earlier upload or an earlier row had as a duplicate, however it is written', async () => {
    const { first, second } = await uploadPhoneTwice(stack.current);

    expect(second).toMatchObject({ rowsRead: 2, accepted: 0, duplicateOfEarlier: 2, duplicateInFile: 0 });
    expect(await leadsOf(stack.current, second.uploadId)).toEqual([]);
    const rows = await resultRows(stack.current, second.uploadId);
    expect(rows.slice(1).map((row) => row.slice(1, 3))).toEqual([
      ['duplicate_of_earlier', `phone already received in upload ${first.uploadId} (row 1)`],
      ['duplicate_of_earlier', `phone already received in upload ${first.uploadId} (row 1)`],
    ]);
  });
});
