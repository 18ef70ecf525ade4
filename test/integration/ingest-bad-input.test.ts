import { describe, expect, it } from 'vitest';
import { useLocalStack } from '../support/local-stack';
import {
  allLeadHashes,
  createSlot,
  leadsOf,
  postFile,
  putObject,
  readUpload,
  resultRows,
  uploadFile,
  verificationMessages,
  waitForUpload,
} from '../support/uploads';

/** Small enough to exceed cheaply, big enough for a 10 MB line. */
const MAX_BYTES = 11 * 1024 * 1024;

/**
 * Every way a file can be bad ends in a clear reason: the whole file refused (`failed`, no leads, no result
 * file), or reading stopped at a row (rows before it kept and reported), or a per-row reason. Nothing is
 * dropped silently and nothing runs out of memory.
 */
describe('ingest of bad files', () => {
  const stack = useLocalStack({ env: { MAX_UPLOAD_BYTES: String(MAX_BYTES) } });

  const expectRefused = async (content: string | Uint8Array, reason: RegExp, contentType = 'text/csv') => {
    const { slot, upload } = await uploadFile(stack.current, content, contentType);
    expect(upload.state).toBe('failed');
    expect(upload.failureReason).toMatch(reason);
    expect(upload.resultKey).toBeUndefined();
    expect(await leadsOf(stack.current, slot.uploadId)).toEqual([]);
    expect(verificationMessages(stack.current, slot.uploadId)).toEqual([]);
    expect((await allLeadHashes(stack.current)).filter((item) => item.uploadId === slot.uploadId)).toEqual(
      [],
    );
    return upload;
  };

  it('refuses a file without an email column, naming the columns it found', async () => {
    await expectRefused('name,phone\nAnn,123\n', /^No email column: .*found: "name", "phone"/);
  });

  it('refuses a UTF-16 file', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('email\nann@utf16.example\n', 'utf16le'),
    ]);
    await expectRefused(utf16, /UTF-16 encoded/);
  });

  it('refuses a binary file (dense with NUL bytes)', async () => {
    await expectRefused(Buffer.from('email,name\nann@nul.example,Ann\n', 'utf16le'), /NUL bytes/);
  });

  it('rejects only the row of an isolated NUL, even in the first row', async () => {
    const { slot, upload } = await uploadFile(
      stack.current,
      'email,name\nann@nul.example,A\u0000nn\nbo@nul.example,Bo\n',
    );

    expect(upload).toMatchObject({ rowsRead: 2, accepted: 1, rejected: 1 });
    expect(upload.failureReason).toBeUndefined();
    expect((await resultRows(stack.current, slot.uploadId)).slice(1).map((row) => row.slice(0, 3))).toEqual([
      ['1', 'rejected', '"name" contains a NUL character'],
      ['2', 'accepted', ''],
    ]);
  });

  it('refuses a header with too many columns', async () => {
    const header = ['email', ...Array.from({ length: 120 }, (_, index) => `c${index}`)].join(',');
    await expectRefused(`${header}\nann@wide.example\n`, /header has 121 columns; at most 100/);
  });

  it('refuses an object over the size limit (S3 POST policies are not enforced locally; the ingest checks)', async () => {
    // The admin declared a small file; S3 in AWS would refuse the big one, s3rver takes it.
    const slot = await createSlot(stack.current, 'small.csv', 100);
    await postFile(slot, `email\n${'a'.repeat(MAX_BYTES)}\n`);

    const upload = await waitForUpload(stack.current, slot.uploadId);

    expect(upload).toMatchObject({
      state: 'failed',
      failureReason: `The file has ${MAX_BYTES + 7} bytes; at most ${MAX_BYTES} are accepted`,
    });
    expect(await leadsOf(stack.current, slot.uploadId)).toEqual([]);
  });

  it('refuses an object uploaded with another content type', async () => {
    await expectRefused(
      'email\nann@type.example\n',
      /uploaded as "application\/octet-stream"; only text\/csv/,
      'application/octet-stream',
    );
  });

  it('rejects a 10 MB single line as its row and reads the rows after it', async () => {
    const content = `email,name\nfirst@long.example,Ann\nsecond@long.example,${'x'.repeat(10 * 1024 * 1024)}\nthird@long.example,Cy\n`;

    const { slot, upload } = await uploadFile(stack.current, content);

    expect(upload).toMatchObject({
      state: expect.stringMatching(/^(verifying|queued)$/),
      rowsRead: 3,
      accepted: 2,
    });
    expect(upload.rejected).toBe(1);
    expect(upload.failureReason).toBeUndefined();
    expect(upload.stoppedAtRow).toBeUndefined();
    expect((await leadsOf(stack.current, slot.uploadId)).map((lead) => lead.email).sort()).toEqual([
      'first@long.example',
      'third@long.example',
    ]);
    expect((await resultRows(stack.current, slot.uploadId)).map((row) => row.slice(0, 3))).toEqual([
      ['row', 'status', 'reason'],
      ['1', 'accepted', ''],
      ['2', 'rejected', 'the row is longer than 65536 characters'],
      ['3', 'accepted', ''],
    ]);
  });

  it('stops at a quote that is never closed, naming the row where it opened, keeping the rows before', async () => {
    const { upload } = await uploadFile(
      stack.current,
      'email,name\nfirst@quote.example,Ann\nsecond@quote.example,"Bo\nthird@quote.example,Cy\n',
    );

    expect(upload).toMatchObject({ rowsRead: 1, accepted: 1, stoppedAtRow: 2 });
    expect(upload.failureReason).toBe(
      'Row 2 opens a quote that is never closed, so the rest of the file is inside it; reading stopped there',
    );
  });

  it('rejects, row by row and with the reason, bad bytes and wrong field counts, and reads mixed line endings', async () => {
    const content = Buffer.concat([
      Buffer.from('email,name\r\nok1@rows.example,Ann\nok2@rows.example,B', 'utf8'),
      Buffer.from([0xff]), // not UTF-8, in a file that otherwise is
      Buffer.from('\rshort@rows.example\r\nok3@rows.example,Cy\r\n', 'utf8'),
      Buffer.from('ok4@rows.example,Renée (multi-byte: the file stays UTF-8)\n', 'utf8'),
    ]);

    const { slot, upload } = await uploadFile(stack.current, content);

    // The verification consumer runs here too: the upload may already be queued.
    expect(upload).toMatchObject({
      state: expect.stringMatching(/^(verifying|queued)$/),
      rowsRead: 5,
      accepted: 3,
    });
    expect(upload.rejected).toBe(2);
    expect((await resultRows(stack.current, slot.uploadId)).slice(1).map((row) => row.slice(0, 3))).toEqual([
      ['1', 'accepted', ''],
      ['2', 'rejected', '"name" is not valid UTF-8'],
      ['3', 'rejected', 'the row has 1 fields; the header has 2'],
      ['4', 'accepted', ''],
      ['5', 'accepted', ''],
    ]);
  });

  it('ignores an object outside the slots it handed out, creating nothing', async () => {
    const stray = 'uploads/01ARZ3NDEKTSV4RRFFQ69G5FAV.csv';
    await putObject(stack.current, stray, 'email\nstray@nowhere.example\n');
    await stack.current.ingest.idle();

    expect(await readUpload(stack.current, '01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeUndefined();
    expect(
      (await allLeadHashes(stack.current)).some((item) => item.uploadId === '01ARZ3NDEKTSV4RRFFQ69G5FAV'),
    ).toBe(false);
  });

  it('refuses a file whose size is not the one its slot declared (s3rver does not enforce the policy)', async () => {
    const content = 'email\nann@size.example\n';
    const slot = await createSlot(stack.current, 'size.csv', Buffer.byteLength(content) + 5);
    await postFile(slot, content);

    const upload = await waitForUpload(stack.current, slot.uploadId);

    expect(upload).toMatchObject({
      state: 'failed',
      failureReason: `The file has ${Buffer.byteLength(content)} bytes, but its upload slot was asked for ${
        Buffer.byteLength(content) + 5
      }; ask for a new slot with the file's exact size`,
    });
    expect(await leadsOf(stack.current, slot.uploadId)).toEqual([]);
  });

  it('does not ingest a slot twice when its presigned POST is replayed with another file', async () => {
    const firstFile = 'email\nfirst@replay.example\n';
    const slot = await createSlot(stack.current, 'replay.csv', Buffer.byteLength(firstFile));
    await postFile(slot, firstFile);
    const first = await waitForUpload(stack.current, slot.uploadId);

    await postFile(slot, 'email\nsecond@replay.example\nthird@replay.example\n');
    await stack.current.ingest.idle();

    expect(await readUpload(stack.current, slot.uploadId)).toEqual(first);
    expect((await leadsOf(stack.current, slot.uploadId)).map((lead) => lead.email)).toEqual([
      'first@replay.example',
    ]);
  });
});
