import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { documentClient, localName } from '../../fixtures/clients';
import type { LocalStack } from '../../local/runtime';
import { ADMIN, runDistributionNow } from '../support/api';
import { QUIET_ENV, useLocalStack } from '../support/local-stack';
import { bucketName, readUpload, s3Client, uploadFile } from '../support/uploads';

/**
 * Erasing a person by email on the whole local pipeline: ingested, verified, distributed to a member, then
 * erased; afterwards no table, no member CSV, no result file and no raw upload holds the address.
 */

/** Every item of every table as text (a Scan: fine for a test's small tables, never in the product). */
const everyItem = async (stack: LocalStack): Promise<string> => {
  const texts: string[] = [];
  for (const table of [
    'StorageUploadsTable',
    'StorageLeadHashesTable',
    'StorageMembersTable',
    'StorageControlTable',
  ]) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documentClient(stack).send(
        new ScanCommand({ TableName: localName(stack, table), ExclusiveStartKey: start }),
      );
      texts.push(JSON.stringify(page.Items ?? [], (_, value) => (value instanceof Set ? [...value] : value)));
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return texts.join('\n');
};

/** Every object of the bucket as text. */
const everyObject = async (stack: LocalStack): Promise<string> => {
  const s3 = s3Client(stack);
  const texts: string[] = [];
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucketName(stack) }));
  for (const object of page.Contents ?? []) {
    const body = await s3.send(new GetObjectCommand({ Bucket: bucketName(stack), Key: object.Key }));
    texts.push(`${object.Key}\n${await body.Body?.transformToString()}`);
  }
  return texts.join('\n');
};

describe('erasure by email', () => {
  const stack = useLocalStack({ fresh: true, env: QUIET_ENV });

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${stack.current.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, text: await response.text() };
  };
  const admin = async (method: string, path: string, body?: unknown) =>
    call(method, path, await stack.current.identity.mint(ADMIN), body);

  it('leaves no table, member CSV, result file or raw upload holding the address; only its hash stays listed', async () => {
    const tag = ulid().toLowerCase();
    const address = `erase.me-${tag}@example.com`;
    const memberId = `member-${tag}`;
    expect(
      (
        await admin('PUT', `/admin/members/${memberId}`, {
          email: `${memberId}@members.example`,
          name: 'Member',
          tier: 'starter',
          subscriptionStatus: 'active',
        })
      ).status,
    ).toBeLessThan(300);
    const file = [
      'email,first name,last name,phone',
      `${address},Erasable,Person-${tag},+44 20 7946 0018`,
      `keep-${tag}@example.com,Kept,Person,`,
      `${address.toUpperCase()},Again,Repeat,`,
    ].join('\n');
    const { slot } = await uploadFile(stack.current, file);
    const deadline = Date.now() + 60_000;
    while ((await readUpload(stack.current, slot.uploadId))?.state !== 'queued') {
      if (Date.now() > deadline) throw new Error('the upload never got queued');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const run = await runDistributionNow(stack.current);
    expect(run).toMatchObject({ outcome: 'succeeded', leadsAssigned: 2 });
    const memberToken = await stack.current.identity.mint({ sub: memberId, role: 'member' });
    expect((await call('GET', '/members/me/leads.csv', memberToken)).text).toContain(address);
    expect(await everyObject(stack.current)).toContain(`Person-${tag}`);

    const erased = await admin('POST', '/admin/erasures', { email: ` ${address.toUpperCase()} ` });

    expect(erased.status).toBe(201);
    expect(JSON.parse(erased.text)).toMatchObject({
      requestedBy: 'admin-1',
      touched: { leads: 1, assignments: 1, filesSkipped: 0 },
    });
    expect(erased.text).not.toContain('erase.me');
    const memberCsv = (await call('GET', '/members/me/leads.csv', memberToken)).text;
    expect(memberCsv).toContain(`keep-${tag}@example.com`);
    expect(memberCsv).not.toContain('erase.me');
    for (const text of [await everyItem(stack.current), await everyObject(stack.current)]) {
      expect(text.toLowerCase()).not.toContain(`erase.me-${tag}`);
      expect(text).not.toContain(`Person-${tag}`);
      expect(text).toContain(`keep-${tag}@example.com`);
    }
    const record = await admin('GET', '/admin/erasures');
    expect(JSON.parse(record.text).erasures[0]).toMatchObject({
      erasureId: JSON.parse(erased.text).erasureId,
    });
    expect(record.text).not.toContain('erase.me');
    const listed = JSON.parse((await admin('GET', '/admin/suppressions')).text) as {
      suppressions: { kind: string; source: string }[];
    };
    expect(listed.suppressions).toContainEqual(expect.objectContaining({ kind: 'email', source: 'erasure' }));

    // Uploaded again, the person is recognised and refused.
    const again = await uploadFile(stack.current, `email\n${address}\n`);
    expect(again.upload).toMatchObject({ rowsRead: 1, rejected: 1, accepted: 0 });
  });
});
