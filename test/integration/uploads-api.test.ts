import { describe, expect, it } from 'vitest';
import { ADMIN, callApi } from '../support/api';
import { useLocalStack } from '../support/local-stack';
import { createSlot, type Slot } from '../support/uploads';

type Page = { uploads: { uploadId: string; state: string }[]; nextCursor?: string };
type ErrorBody = { error: string; message: string; details?: { path: string; message: string }[] };

const decodePolicy = (slot: Slot) =>
  JSON.parse(Buffer.from(slot.upload.fields.Policy ?? '', 'base64').toString('utf8')) as {
    expiration: string;
    conditions: unknown[];
  };

/** The upload routes of the admin API, through the local API Gateway front door and its authorizer. */
describe('admin upload routes', () => {
  const stack = useLocalStack();
  const createWith = (body: unknown) =>
    callApi<ErrorBody>(stack.current, ADMIN, 'POST', '/admin/uploads', body);

  it('hands out a slot whose POST policy pins the key, the content type, the exact size and 15 minutes', async () => {
    const before = Date.now();
    const slot = await createSlot(stack.current, 'Spring fair.csv', 2048);

    expect(slot.uploadId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(slot.upload.fields.key).toBe(`uploads/${slot.uploadId}.csv`);
    expect(slot.upload.fields['Content-Type']).toBe('text/csv');
    const policy = decodePolicy(slot);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 2048, 2048],
        ['eq', '$Content-Type', 'text/csv'],
        { key: `uploads/${slot.uploadId}.csv` },
      ]),
    );
    const expiresIn = Date.parse(policy.expiration) - before;
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000 + 1_000);

    const { status, body } = await callApi<{ state: string; fileName: string; uploadedBy: string }>(
      stack.current,
      ADMIN,
      'GET',
      `/admin/uploads/${slot.uploadId}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      state: 'awaiting_upload',
      fileName: 'Spring fair.csv',
      uploadedBy: 'admin-1',
    });
  });

  it('never takes the object key from the file name', async () => {
    const slot = await createSlot(stack.current, 'evil name;rm -rf.csv', 10);
    expect(slot.upload.fields.key).toBe(`uploads/${slot.uploadId}.csv`);
  });

  // A malformed body (wrong type, missing or unknown field) is refused at the gateway, before the function runs.
  it.each([
    { fileName: 'leads.csv', sizeBytes: 1.5 },
    { fileName: 'leads.csv' },
    { fileName: 'leads.csv', sizeBytes: 10, state: 'queued' },
  ])('refuses %j at the gateway with its 400', async (body) => {
    const { status, body: error } = await createWith(body);
    expect(status).toBe(400);
    expect(error).toEqual({ error: 'BadRequest', message: 'The request body is invalid' });
  });

  // A well-formed body with a bad value reaches the function, whose 400 names the field for the console.
  it.each([
    [{ fileName: 'leads.xlsx', sizeBytes: 10 }, 'fileName', 'must end in .csv'],
    [{ fileName: '../etc/passwd.csv', sizeBytes: 10 }, 'fileName', 'no control characters or slashes'],
    [{ fileName: 'a\u0007b.csv', sizeBytes: 10 }, 'fileName', 'no control characters or slashes'],
    [{ fileName: `${'x'.repeat(200)}.csv`, sizeBytes: 10 }, 'fileName', 'at most 200 characters'],
    [{ fileName: 'leads.csv', sizeBytes: 0 }, 'sizeBytes', 'the file is empty'],
    [
      { fileName: 'leads.csv', sizeBytes: 50 * 1024 * 1024 + 1 },
      'sizeBytes',
      'at most 52428800 bytes (50 MB)',
    ],
  ])('refuses %j with a 400 naming %s', async (body, path, message) => {
    const { status, body: error } = await createWith(body);
    expect(status).toBe(400);
    expect(error.error).toBe('BadRequest');
    expect(error.details?.[0]?.path).toBe(path);
    expect(error.details?.[0]?.message).toContain(message);
  });

  it('refuses a body that is not JSON with a 400', async () => {
    const response = await fetch(`${stack.current.url}/admin/uploads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await stack.current.identity.mint({ sub: 'a', role: 'admin' })}` },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'BadRequest',
      message: 'The body is not valid JSON',
    });
  });

  it('refuses callers without an admin token', async () => {
    const member = await stack.current.identity.mint({ sub: 'm', role: 'member' });
    const anonymous = await fetch(`${stack.current.url}/admin/uploads`, { method: 'POST', body: '{}' });
    const asMember = await fetch(`${stack.current.url}/admin/uploads`, {
      headers: { Authorization: `Bearer ${member}` },
    });
    expect(anonymous.status).toBe(401);
    expect(asMember.status).toBe(403);
  });

  it('lists uploads newest first, page by page, with an opaque cursor', async () => {
    const created: string[] = [];
    for (let index = 0; index < 5; index++)
      created.push((await createSlot(stack.current, `page${index}.csv`, 1)).uploadId);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const query = `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { status, body } = await callApi<Page>(stack.current, ADMIN, 'GET', `/admin/uploads?${query}`);
      expect(status).toBe(200);
      expect(body.uploads.length).toBeLessThanOrEqual(2);
      seen.push(...body.uploads.map((upload) => upload.uploadId));
      cursor = body.nextCursor;
    } while (cursor);

    expect(seen.slice(0, 5)).toEqual([...created].reverse());
    expect(seen).toEqual([...seen].sort().reverse());
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=not-a-cursor', ''],
    [`cursor=${Buffer.from(JSON.stringify({ pk: 'MEMBER#x', sk: 'PROFILE' })).toString('base64url')}`, ''],
    ['sort=asc', ''],
  ])('refuses the query %s with a 400', async (query) => {
    const { status, body } = await callApi<ErrorBody>(stack.current, ADMIN, 'GET', `/admin/uploads?${query}`);
    expect(status).toBe(400);
    expect(body.error).toBe('BadRequest');
  });

  it('answers 404 for an unknown upload and 400 for something that is not an upload id', async () => {
    expect(
      (await callApi(stack.current, ADMIN, 'GET', '/admin/uploads/01ARZ3NDEKTSV4RRFFQ69G5FAV')).status,
    ).toBe(404);
    const { status, body } = await callApi<ErrorBody>(
      stack.current,
      ADMIN,
      'GET',
      '/admin/uploads/not-an-id',
    );
    expect(status).toBe(400);
    expect(body.message).toContain('not an upload id');
  });
});
