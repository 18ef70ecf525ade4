import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { uploadView } from '../../lambdas/functions/admin-api/uploads';
import { DEV_LEAD_HASH_PEPPER } from '../../local/ingest';
import { ADMIN, callApi } from '../support/api';
import { useLocalStack } from '../support/local-stack';
import {
  allLeadHashes,
  globalCounters,
  leadsOf,
  readUpload,
  resultRows,
  uploadFile,
  verificationMessages,
} from '../support/uploads';

type UploadView = ReturnType<typeof uploadView> & {
  result?: { url: string };
  progress: { rowsRead: number };
};

const hmac = (email: string) => createHmac('sha256', DEV_LEAD_HASH_PEPPER).update(email).digest('hex');

// BOM, CRLF, aliased headers, a quoted comma, a formula cell, a bad address, a repeat in another case, an
// address an earlier upload brought, a row with a missing field, and an unknown column kept as an extra.
const MAIN_FILE = [
  '\uFEFFE-mail,First Name,Company,Lead Source',
  'ann@example.com,Ann,"Acme, Inc",fair',
  'bob@example.com,Bob,=HYPERLINK("http://x"),web',
  'not-an-email,Nope,Acme,',
  ' ANN@Example.com ,Ann again,Acme,',
  'shared@example.com,Sh,Acme,',
  'cy@example.com,Cy',
  'dee@example.com,Dee,,referral',
].join('\r\n');

describe('upload and ingest, end to end through the presigned POST', () => {
  // The verification consumer stays off: these tests assert what the ingest itself wrote and sent.
  const stack = useLocalStack({ env: { POWERTOOLS_LOG_LEVEL: 'INFO' }, disabledConsumers: ['verification'] });
  let logs: string[] = [];
  beforeEach(() => {
    logs = [];
    const capture = (chunk: unknown) => {
      logs.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('classifies every row, stores and queues the new leads, counts exactly, and writes the result file', async () => {
    const earlier = await uploadFile(stack.current, 'email\nshared@example.com\n');
    const globalBefore = await globalCounters(stack.current);

    const { slot, upload } = await uploadFile(stack.current, MAIN_FILE);
    const id = slot.uploadId;

    expect(earlier.upload.state).toMatch(/verifying|queued/);
    expect(upload).toMatchObject({
      state: 'verifying',
      uploadedBy: 'admin-1',
      fileName: 'leads.csv',
      rowsRead: 7,
      accepted: 3,
      duplicateInFile: 1,
      duplicateOfEarlier: 1,
      rejected: 2,
      verificationPending: 3,
      resultKey: `results/${id}.csv`,
    });

    const leads = await leadsOf(stack.current, id);
    expect(leads.map((lead) => [lead.row, lead.email, lead.status])).toEqual([
      [1, 'ann@example.com', 'pending'],
      [2, 'bob@example.com', 'pending'],
      [7, 'dee@example.com', 'pending'],
    ]);
    expect(leads[0]).toMatchObject({
      firstName: 'Ann',
      company: 'Acme, Inc',
      extras: { 'Lead Source': 'fair' },
    });
    expect(leads[0]?.emailHash).toBe(hmac('ann@example.com'));

    const hashes = (await allLeadHashes(stack.current)).filter((item) => item.uploadId === id);
    expect(hashes.map((item) => [item.row, item.hash]).sort()).toEqual(
      leads.map((lead) => [lead.row, hmac(lead.email)]).sort(),
    );

    const messages = verificationMessages(stack.current, id);
    expect(messages).toEqual([
      {
        uploadId: id,
        leads: [
          { row: 1, email: 'ann@example.com' },
          { row: 2, email: 'bob@example.com' },
          { row: 7, email: 'dee@example.com' },
        ],
      },
    ]);

    const global = await globalCounters(stack.current);
    const added = (name: keyof typeof global) => Number(global[name] ?? 0) - Number(globalBefore[name] ?? 0);
    expect({
      rowsRead: added('rowsRead'),
      leadsAccepted: added('leadsAccepted'),
      leadsPendingVerification: added('leadsPendingVerification'),
      duplicatesInFile: added('duplicatesInFile'),
      duplicatesOfEarlier: added('duplicatesOfEarlier'),
      rowsRejected: added('rowsRejected'),
    }).toEqual({
      rowsRead: 7,
      leadsAccepted: 3,
      leadsPendingVerification: 3,
      duplicatesInFile: 1,
      duplicatesOfEarlier: 1,
      rowsRejected: 2,
    });
    expect(global.inflight ?? new Set()).toEqual(new Set());

    const view = await callApi<UploadView>(stack.current, ADMIN, 'GET', `/admin/uploads/${id}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      state: 'verifying',
      counts: { accepted: 3, rejected: 2 },
      progress: { rowsRead: 7 },
    });
    const download = await fetch(view.body.result?.url ?? '');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="leads.result.csv"');
    expect((await resultRows(stack.current, id)).map((row) => row.slice(0, 5))).toEqual([
      ['row', 'status', 'reason', 'E-mail', 'First Name'],
      ['1', 'accepted', '', 'ann@example.com', 'Ann'],
      ['2', 'accepted', '', 'bob@example.com', 'Bob'],
      ['3', 'rejected', '"E-mail" is not a valid email address', 'not-an-email', 'Nope'],
      ['4', 'duplicate_in_file', 'same email as row 1', 'ANN@Example.com', 'Ann again'],
      [
        '5',
        'duplicate_of_earlier',
        `already received in upload ${earlier.slot.uploadId} (row 1)`,
        'shared@example.com',
        'Sh',
      ],
      ['6', 'rejected', 'the row has 2 fields; the header has 4', 'cy@example.com', 'Cy'],
      ['7', 'accepted', '', 'dee@example.com', 'Dee'],
    ]);
    // The formula cell comes back as text, not as a formula.
    expect((await resultRows(stack.current, id))[2]?.[5]).toBe('\'=HYPERLINK("http://x")');
  });

  it('counts that, recomputed from the items, equal the stored counters', async () => {
    const { slot, upload } = await uploadFile(
      stack.current,
      'email\na@count.example\nb@count.example\nA@count.example\nbad\nshared@example.com\nc@count.example\n',
    );

    const rows = (await resultRows(stack.current, slot.uploadId)).slice(1);
    const tally = (status: string) => rows.filter((row) => row[1] === status).length;
    const leads = await leadsOf(stack.current, slot.uploadId);
    const hashes = (await allLeadHashes(stack.current)).filter((item) => item.uploadId === slot.uploadId);

    expect(rows.map((row) => Number(row[0]))).toEqual([1, 2, 3, 4, 5, 6]);
    expect({
      rowsRead: rows.length,
      accepted: leads.length,
      duplicateInFile: tally('duplicate_in_file'),
      duplicateOfEarlier: tally('duplicate_of_earlier'),
      rejected: tally('rejected'),
      verificationPending: leads.filter((lead) => lead.status === 'pending').length,
    }).toEqual({
      rowsRead: upload.rowsRead,
      accepted: upload.accepted,
      duplicateInFile: upload.duplicateInFile,
      duplicateOfEarlier: upload.duplicateOfEarlier,
      rejected: upload.rejected,
      verificationPending: upload.verificationPending,
    });
    expect(hashes).toHaveLength(leads.length);
    expect(tally('accepted')).toBe(leads.length);
  });

  it('accepts an internationalised domain and sends it to the verifier as punycode; rejects a non-ASCII mailbox name', async () => {
    const { slot, upload } = await uploadFile(
      stack.current,
      'email,name\nuser@bücher.example,Ann\njürgen@idn.example,Bo\n',
    );

    expect(upload).toMatchObject({ rowsRead: 2, accepted: 1, rejected: 1 });
    expect(verificationMessages(stack.current, slot.uploadId).flatMap((message) => message.leads)).toEqual([
      { row: 1, email: 'user@xn--bcher-kva.example' },
    ]);
    const rows = await resultRows(stack.current, slot.uploadId);
    expect(rows[2]?.slice(0, 3)).toEqual([
      '2',
      'rejected',
      '"email" has non-ASCII characters before the @; the email verifier only checks ASCII mailbox names',
    ]);
  });

  it('ends an upload with nothing to distribute as completed, not counted as queued', async () => {
    const globalBefore = await globalCounters(stack.current);

    const { upload } = await uploadFile(stack.current, 'email,name\nnot-an-email,Ann\nalso bad,Bo\n');

    expect(upload).toMatchObject({ state: 'completed', rowsRead: 2, accepted: 0, rejected: 2 });
    expect((await globalCounters(stack.current))?.queuedUploads ?? 0).toBe(globalBefore?.queuedUploads ?? 0);
    const view = await callApi<UploadView>(stack.current, ADMIN, 'GET', `/admin/uploads/${upload.uploadId}`);
    expect(view.body.state).toBe('completed');
  });

  it('refuses a byte-identical re-upload as a duplicate file, and nothing else happens', async () => {
    const content = 'email,name\nonce@dup.example,Once\ntwice@dup.example,Twice\n';
    const first = await uploadFile(stack.current, content);
    const globalBefore = await globalCounters(stack.current);

    const second = await uploadFile(stack.current, content);

    expect(first.upload.state).toBe('verifying');
    expect(second.upload).toMatchObject({
      state: 'duplicate_file',
      duplicateOf: first.slot.uploadId,
      failureReason: `The same file was already uploaded as ${first.slot.uploadId}`,
    });
    expect(second.upload.rowsRead).toBeUndefined();
    expect(await leadsOf(stack.current, second.slot.uploadId)).toEqual([]);
    expect(verificationMessages(stack.current, second.slot.uploadId)).toEqual([]);
    expect(await globalCounters(stack.current)).toEqual(globalBefore);
    const view = await callApi<UploadView>(
      stack.current,
      ADMIN,
      'GET',
      `/admin/uploads/${second.slot.uploadId}`,
    );
    expect(view.body).toMatchObject({
      state: 'duplicate_file',
      duplicateOf: first.slot.uploadId,
      failureReason: `The same file was already uploaded as ${first.slot.uploadId}`,
    });
    expect(view.body.result).toBeUndefined();
  });

  it('lets the same file in again once its earlier upload failed', async () => {
    // A header-only file fails ("no data rows"); the very same bytes may be retried, and fail again on their own.
    const first = await uploadFile(stack.current, 'email,name\n');
    const second = await uploadFile(stack.current, 'email,name\n');

    expect(first.upload).toMatchObject({
      state: 'failed',
      failureReason: 'The file has a header line but no data rows',
    });
    expect(second.upload).toMatchObject({
      state: 'failed',
      failureReason: 'The file has a header line but no data rows',
    });
    expect(second.upload.duplicateOf).toBeUndefined();
  });

  it('writes no email address, token or presigned signature to the logs', async () => {
    const emails = ['log.one@private.example', 'log.two@private.example'];
    const { slot } = await uploadFile(stack.current, `email,name\n${emails.join(',x\n')},y\nnot-valid,z\n`);
    await callApi(stack.current, ADMIN, 'GET', `/admin/uploads/${slot.uploadId}`);
    await callApi(stack.current, ADMIN, 'GET', '/admin/uploads');

    const text = logs.join('');
    expect(text).toContain(slot.uploadId); // the capture did see the ingest's log lines
    for (const email of emails) expect(text).not.toContain(email);
    expect(text).not.toMatch(/@private\.example/);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(text).not.toMatch(/X-Amz-Signature/i);
    expect(await readUpload(stack.current, slot.uploadId)).toMatchObject({ state: 'verifying' });
  });
});
