import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type InMemoryIngest,
  InMemoryLeadHashStore,
  inMemoryIngest,
  TEST_PEPPER,
} from '../../../fixtures/ingest';
import { type IngestOutcome, ingestUpload } from './ingest-upload';
import { createLeadHasher } from './lead-hash';
import { CheckpointConflictError } from './ports';
import { DEFAULT_INGEST_SETTINGS, type IngestSettings } from './settings';

const SETTINGS: IngestSettings = { ...DEFAULT_INGEST_SETTINGS, chunkSize: 3, claimConcurrency: 2 };

const EARLIER_FILE = 'email,name\nold@example.com,Old\nshared@example.com,Shared\n';

// Chunks of 3 rows: [1-3] [4-6] [7-9] [10-12]. Row 7 repeats an earlier upload's email after a chunk
// boundary, row 10 repeats row 9 across a boundary, row 12 repeats row 11 inside one chunk.
const MAIN_FILE = [
  'Email,First Name,Company,Lead Source',
  'ann@example.com,Ann,Acme,fair',
  'bob@example.com,Bob,Acme,',
  'not-an-email,Nope,Acme,',
  ' ANN@example.com ,Ann again,Acme,',
  'shared@example.com,Sh,Acme,',
  '',
  'cy@example.com,Cy',
  'shared@example.com,Sh2,Acme,',
  'bob@example.com,Bob again,Acme,',
  'dee@example.com,Dee,"Dee & Co, Ltd",web',
  'dee@example.com,Dee,Acme,',
  'eve@example.com,Eve,,',
  'EVE@example.com,Eve,,',
].join('\r\n');

const EXPECTED_STATUSES = [
  [1, 'accepted', ''],
  [2, 'accepted', ''],
  [3, 'rejected', '"Email" is not a valid email address'],
  [4, 'duplicate_in_file', 'same email as row 1'],
  [5, 'duplicate_of_earlier', 'already received in upload earlier (row 2)'],
  [6, 'rejected', 'the row has 2 fields; the header has 4'],
  [7, 'duplicate_of_earlier', 'already received in upload earlier (row 2)'],
  [8, 'duplicate_in_file', 'same email as row 2'],
  [9, 'accepted', ''],
  [10, 'duplicate_in_file', 'same email as row 9'],
  [11, 'accepted', ''],
  [12, 'duplicate_in_file', 'same email as row 11'],
];

const EXPECTED_COUNTERS = {
  rowsRead: 12,
  accepted: 4,
  duplicateInFile: 4,
  duplicateOfEarlier: 2,
  rejected: 2,
};

/** Invokes until done, as the handler's self re-invocation would. */
async function runToEnd(uploadId: string, ingest: InMemoryIngest, settings = SETTINGS) {
  const outcomes: IngestOutcome[] = [];
  for (let invocation = 0; invocation < 100; invocation++) {
    const outcome = await ingestUpload(uploadId, ingest.deps, settings);
    outcomes.push(outcome);
    if (outcome.done) return { outcome, invocations: outcomes.length };
  }
  throw new Error('ingest never finished');
}

/** The main file ingested after the earlier upload, sharing one lead-hash table. */
async function mainUpload(options: Parameters<typeof inMemoryIngest>[1] = {}) {
  const leadHashes = new InMemoryLeadHashStore();
  await runToEnd('earlier', inMemoryIngest(EARLIER_FILE, { shared: { leadHashes } }));
  return inMemoryIngest(MAIN_FILE, { ...options, shared: { leadHashes, ...options.shared } });
}

/** Everything an upload leaves behind, with queue messages deduplicated by id (replays resend them). */
function endState(ingest: InMemoryIngest, uploadId = 'main') {
  const messages = new Map(ingest.verification.messages.map((message) => [message.batchId, message]));
  return {
    leads: ingest.leads.leadsOf(uploadId),
    messages: [...messages.values()].filter((message) => message.uploadId === uploadId),
    result: ingest.results.files.get(uploadId),
    checkpoint: ingest.checkpoints.saved.get(uploadId),
  };
}

function crashOnce<T extends object, K extends keyof T>(target: T, method: K, failingCall: number): void {
  const original = target[method] as unknown as (...args: unknown[]) => Promise<unknown>;
  let calls = 0;
  const crashing = async (...args: unknown[]) => {
    calls += 1;
    if (calls === failingCall) throw new Error(`injected crash in ${String(method)}`);
    return original.apply(target, args);
  };
  target[method] = crashing as T[K];
}

describe('ingestUpload: one clean run', () => {
  it('classifies every row and keeps counts that add up', async () => {
    const ingest = await mainUpload();

    const { outcome } = await runToEnd('main', ingest);

    expect(outcome).toEqual({ done: true, counters: EXPECTED_COUNTERS });
    const rows = ingest.results.files.get('main')?.rows ?? [];
    expect(rows.map((row) => [row.row, row.status, row.reason])).toEqual(EXPECTED_STATUSES);
  });

  it('points duplicates at the row that owns the email', async () => {
    const ingest = await mainUpload();

    await runToEnd('main', ingest);

    const rows = ingest.results.files.get('main')?.rows ?? [];
    expect(rows.find((row) => row.row === 10)?.duplicateOf).toEqual({ uploadId: 'main', row: 9 });
    expect(rows.find((row) => row.row === 7)?.duplicateOf).toEqual({ uploadId: 'earlier', row: 2 });
  });

  it('writes the result file with the header and every original row', async () => {
    const ingest = await mainUpload();

    await runToEnd('main', ingest);

    const result = ingest.results.files.get('main');
    expect(result?.header).toEqual(['Email', 'First Name', 'Company', 'Lead Source']);
    expect(result?.rows[3]?.values).toEqual(['ANN@example.com', 'Ann again', 'Acme', '']);
    expect(result?.rows[5]?.values).toEqual(['cy@example.com', 'Cy']);
  });

  it('stores each accepted lead once, normalised, with its fields and extras', async () => {
    const ingest = await mainUpload();

    await runToEnd('main', ingest);

    const leads = ingest.leads.leadsOf('main');
    expect(leads.map((lead) => [lead.row, lead.email])).toEqual([
      [1, 'ann@example.com'],
      [2, 'bob@example.com'],
      [9, 'dee@example.com'],
      [11, 'eve@example.com'],
    ]);
    expect(leads[2]).toMatchObject({
      fields: { firstName: 'Dee', company: 'Dee & Co, Ltd' },
      extras: { 'Lead Source': 'web' },
    });
    expect(leads[2]?.leadHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('queues the accepted leads for verification under ids that name their first row', async () => {
    const ingest = await mainUpload();

    await runToEnd('main', ingest);

    const messages = endState(ingest).messages;
    expect(messages.map((message) => [message.batchId, message.leads.map((lead) => lead.row)])).toEqual([
      ['main:1', [1, 2]],
      ['main:9', [9]],
      ['main:11', [11]],
    ]);
  });

  it('accepts each email once when two uploads of the same addresses run at the same time', async () => {
    const leadHashes = new InMemoryLeadHashStore();
    const file = `email\n${Array.from({ length: 40 }, (_, index) => `user${index}@example.com`).join('\n')}\n`;
    const first = inMemoryIngest(file, { shared: { leadHashes } });
    const second = inMemoryIngest(file, { shared: { leadHashes } });

    const [a, b] = await Promise.all([runToEnd('first', first), runToEnd('second', second)]);

    const accepted = [...first.leads.leadsOf('first'), ...second.leads.leadsOf('second')];
    expect(accepted.map((lead) => lead.email).sort()).toEqual(
      Array.from({ length: 40 }, (_, index) => `user${index}@example.com`).sort(),
    );
    const counters = [a.outcome, b.outcome].map((outcome) => (outcome.done ? outcome.counters : undefined));
    expect((counters[0]?.accepted ?? 0) + (counters[1]?.accepted ?? 0)).toBe(40);
    expect((counters[0]?.duplicateOfEarlier ?? 0) + (counters[1]?.duplicateOfEarlier ?? 0)).toBe(40);
  });
});

describe('ingestUpload: store requests and memory', () => {
  it('answers known emails from the batch lookup and claims only the new ones', async () => {
    const ingest = await mainUpload();
    const claimsBefore = ingest.leadHashes.claimCalls;

    await runToEnd('main', ingest);

    // Ann, Bob, Dee, Eve are new; "shared" is known from the earlier upload (no conditional put for it).
    expect(ingest.leadHashes.claimCalls - claimsBefore).toBe(4);
    expect(ingest.leadHashes.lookupCalls).toBeGreaterThan(0);
  });

  it('classifies exactly the same with a memory far smaller than the file', async () => {
    const rows = Array.from({ length: 3000 }, (_, index) => `user${(index * 7) % 1000}@example.com,n`);
    const file = `email,name\n${rows.join('\n')}\n`;
    const roomy = inMemoryIngest(file);
    const forgetful = inMemoryIngest(file);

    await runToEnd('big', roomy, { ...SETTINGS, chunkSize: 100 });
    await runToEnd('big', forgetful, { ...SETTINGS, chunkSize: 100, rememberedHashes: 10 });

    expect(endState(forgetful, 'big')).toEqual(endState(roomy, 'big'));
    expect(endState(forgetful, 'big').checkpoint?.counters).toEqual({
      rowsRead: 3000,
      accepted: 1000,
      duplicateInFile: 2000,
      duplicateOfEarlier: 0,
      rejected: 0,
    });
  });
});

describe('ingestUpload: the dedupe key', () => {
  const GMAIL_FILE = 'email\na.n.n@gmail.com\nann+news@googlemail.com\nann@example.com\n';

  it('counts Gmail spellings of one address once when folding is on', async () => {
    const ingest = inMemoryIngest(GMAIL_FILE);

    const { outcome } = await runToEnd('gmail', ingest, { ...SETTINGS, foldGmailAliases: true });

    expect(outcome).toMatchObject({ counters: { accepted: 2, duplicateInFile: 1 } });
    expect(ingest.results.files.get('gmail')?.rows[1]?.reason).toBe('same email as row 1');
  });

  it('keeps Gmail spellings apart when folding is off', async () => {
    const ingest = inMemoryIngest(GMAIL_FILE);

    const { outcome } = await runToEnd('gmail', ingest, { ...SETTINGS, foldGmailAliases: false });

    expect(outcome).toMatchObject({ counters: { accepted: 3, duplicateInFile: 0 } });
  });

  it('stores the address as written (normalised), not its folded form', async () => {
    const ingest = inMemoryIngest(GMAIL_FILE);

    await runToEnd('gmail', ingest, { ...SETTINGS, foldGmailAliases: true });

    expect(ingest.leads.leadsOf('gmail')[0]?.email).toBe('a.n.n@gmail.com');
  });
});

describe('ingestUpload: phones', () => {
  // Chunks of 3: row 4 repeats row 1's phone written another way (next chunk), row 5 repeats row 2's
  // inside a chunk, row 6's phone cannot be read.
  const PHONE_FILE = [
    'email,phone',
    'ann@example.com,020 7946 0018',
    'bob@example.com,+1 (212) 555-0100',
    'cy@example.com,',
    'dee@example.com,+44 20 7946 0018',
    'eve@example.com,001 212 555 0100',
    'fay@example.com,call me',
  ].join('\n');
  const GB = { ...SETTINGS, phone: { defaultRegion: 'GB', dedupe: false } };
  const GB_PHONE_DEDUPE = { ...SETTINGS, phone: { defaultRegion: 'GB', dedupe: true } };

  it('stores phones in E.164, reading national numbers in the default region', async () => {
    const ingest = inMemoryIngest(PHONE_FILE);

    await runToEnd('phones', ingest, GB);

    expect(ingest.leads.leadsOf('phones').map((lead) => lead.fields.phone)).toEqual([
      '+442079460018',
      '+12125550100',
      undefined,
      '+442079460018',
      '+12125550100',
      'call me',
    ]);
  });

  it('keeps a lead whose phone cannot be read, flagged, and says so in the result file', async () => {
    const ingest = inMemoryIngest(PHONE_FILE);

    const { outcome } = await runToEnd('phones', ingest, GB);

    expect(outcome).toMatchObject({ counters: { accepted: 6, rejected: 0 } });
    const fay = ingest.leads.leadsOf('phones')[5];
    expect(fay).toMatchObject({ email: 'fay@example.com', phoneUnreadable: true });
    expect(ingest.results.files.get('phones')?.rows[5]).toMatchObject({
      status: 'accepted',
      reason: expect.stringContaining('phone not recognised'),
    });
    expect(ingest.leads.leadsOf('phones')[0]?.phoneUnreadable).toBeUndefined();
  });

  it('counts a phone seen before as a duplicate only when phones dedupe', async () => {
    const off = inMemoryIngest(PHONE_FILE);
    const on = inMemoryIngest(PHONE_FILE);

    const { outcome: withoutPhones } = await runToEnd('phones', off, GB);
    const { outcome: withPhones } = await runToEnd('phones', on, GB_PHONE_DEDUPE);

    expect(withoutPhones).toMatchObject({ counters: { accepted: 6, duplicateInFile: 0 } });
    expect(withPhones).toMatchObject({ counters: { rowsRead: 6, accepted: 4, duplicateInFile: 2 } });
    const rows = on.results.files.get('phones')?.rows ?? [];
    expect(rows[3]).toMatchObject({ status: 'duplicate_in_file', reason: 'same phone as row 1' });
    expect(rows[4]).toMatchObject({ status: 'duplicate_in_file', reason: 'same phone as row 2' });
    expect(on.leads.leadsOf('phones').map((lead) => lead.email)).toEqual([
      'ann@example.com',
      'bob@example.com',
      'cy@example.com',
      'fay@example.com',
    ]);
  });

  it('counts a phone of an earlier upload as a duplicate of that upload', async () => {
    const leadHashes = new InMemoryLeadHashStore();
    await runToEnd(
      'earlier',
      inMemoryIngest('email,phone\nold@example.com,+442079460018\n', { shared: { leadHashes } }),
      GB_PHONE_DEDUPE,
    );
    const ingest = inMemoryIngest(PHONE_FILE, { shared: { leadHashes } });

    await runToEnd('phones', ingest, GB_PHONE_DEDUPE);

    const rows = ingest.results.files.get('phones')?.rows ?? [];
    expect(rows[0]).toMatchObject({
      status: 'duplicate_of_earlier',
      reason: 'phone already received in upload earlier (row 1)',
    });
    expect(rows[3]).toMatchObject({ status: 'duplicate_of_earlier' });
  });
});

describe('ingestUpload: the suppression list', () => {
  const FILE = 'email\nann@example.com\nbob@blocked.example\ncy@mail.blocked.example\ndee@example.com\n';

  it('rejects a listed address and every address of a listed domain as suppressed, and claims nothing for them', async () => {
    const ingest = inMemoryIngest(FILE, {
      suppression: {
        emailHashes: new Set([createLeadHasher(TEST_PEPPER)('dee@example.com')]),
        domains: new Set(['blocked.example']),
      },
    });

    const { outcome } = await runToEnd('suppressed', ingest);

    expect(outcome).toMatchObject({ counters: { rowsRead: 4, accepted: 1, rejected: 3 } });
    expect(ingest.results.files.get('suppressed')?.rows.map((row) => [row.status, row.reason])).toEqual([
      ['accepted', ''],
      ['rejected', 'suppressed'],
      ['rejected', 'suppressed'],
      ['rejected', 'suppressed'],
    ]);
    expect(ingest.leads.leadsOf('suppressed').map((lead) => lead.email)).toEqual(['ann@example.com']);
  });
});

describe('ingestUpload: crashes, retries and time limits', () => {
  it.each([
    ['a lead-hash claim', 'leadHashes', 'claim', 4],
    ['storing leads', 'leads', 'putLeads', 2],
    ['queueing for verification', 'verification', 'sendBatch', 2],
    ['writing result rows', 'results', 'writePart', 3],
    ['saving the checkpoint', 'checkpoints', 'save', 2],
  ] as const)(
    'resumes after a crash in %s and ends exactly like a clean run',
    async (_name, port, method, call) => {
      const clean = await mainUpload();
      await runToEnd('main', clean);
      const crashing = await mainUpload();
      crashOnce(crashing[port], method as never, call);

      await expect(ingestUpload('main', crashing.deps, SETTINGS)).rejects.toThrow('injected crash');
      const { outcome } = await runToEnd('main', crashing);

      expect(outcome).toEqual({ done: true, counters: EXPECTED_COUNTERS });
      expect(endState(crashing)).toEqual(endState(clean));
    },
  );

  it('hands over when time runs short, one chunk per invocation at least, and ends like a clean run', async () => {
    const clean = await mainUpload();
    await runToEnd('main', clean);
    const hurried = await mainUpload({ remainingTimeMs: () => 0 });

    const { outcome, invocations } = await runToEnd('main', hurried);

    expect(invocations).toBe(4);
    expect(outcome).toEqual({ done: true, counters: EXPECTED_COUNTERS });
    expect(endState(hurried)).toEqual(endState(clean));
  });

  it('resumes after the file stream breaks mid-file and ends exactly like a clean run', async () => {
    // Past the 64 KiB encoding sample, so rows are already processed when the stream breaks.
    const rows = Array.from({ length: 5000 }, (_, index) => `user${index % 4000}@example.com,Name ${index}`);
    const file = `email,name\n${rows.join('\n')}\n`;
    const settings = { ...SETTINGS, chunkSize: 500 };
    const clean = inMemoryIngest(file, { chunkBytes: 8192 });
    await runToEnd('main', clean, settings);
    const ingest = inMemoryIngest(file, { chunkBytes: 8192 });
    let opens = 0;
    const breakingSource = {
      async open() {
        opens += 1;
        const stream = await ingest.deps.source.open();
        if (opens > 1) return stream;
        return (async function* () {
          let chunks = 0;
          for await (const chunk of stream) {
            if (++chunks === 12) throw new Error('connection reset');
            yield chunk;
          }
        })();
      },
    };
    const deps = { ...ingest.deps, source: breakingSource };

    await expect(ingestUpload('main', deps, settings)).rejects.toThrow('connection reset');
    const rowsDoneAtBreak = ingest.checkpoints.saved.get('main')?.rowsDone ?? 0;
    const resumed = await ingestUpload('main', deps, settings);

    expect(rowsDoneAtBreak).toBeGreaterThan(0);
    expect(resumed).toEqual({
      done: true,
      counters: { rowsRead: 5000, accepted: 4000, duplicateInFile: 1000, duplicateOfEarlier: 0, rejected: 0 },
    });
    expect(endState(ingest)).toEqual(endState(clean));
  });

  it('returns the checkpoint it stopped at when it hands over', async () => {
    const ingest = await mainUpload({ remainingTimeMs: () => 1000 });

    const outcome = await ingestUpload('main', ingest.deps, { ...SETTINGS, minRemainingMs: 5000 });

    expect(outcome).toEqual({
      done: false,
      checkpoint: {
        rowsDone: 3,
        chunkSize: 3,
        counters: { rowsRead: 3, accepted: 2, duplicateInFile: 0, duplicateOfEarlier: 0, rejected: 1 },
      },
    });
  });

  it('changes nothing when a finished upload is delivered again', async () => {
    const ingest = await mainUpload();
    const first = await runToEnd('main', ingest);
    const before = endState(ingest);
    const claims = ingest.leadHashes.claimCalls;
    let opened = 0;
    const source = ingest.deps.source;
    const countingSource = {
      open: () => {
        opened += 1;
        return source.open();
      },
    };
    const deps = { ...ingest.deps, source: countingSource };

    const again = await ingestUpload('main', deps, SETTINGS);

    expect(again).toEqual(first.outcome);
    expect(opened).toBe(0);
    expect(ingest.leadHashes.claimCalls).toBe(claims);
    expect(endState(ingest)).toEqual(before);
  });

  it('does not count its own rows as duplicates when retried without its checkpoint', async () => {
    const ingest = await mainUpload();
    await runToEnd('main', ingest);
    const before = endState(ingest);
    ingest.checkpoints.saved.delete('main');

    const { outcome } = await runToEnd('main', ingest);

    expect(outcome).toEqual({ done: true, counters: EXPECTED_COUNTERS });
    expect(endState(ingest)).toEqual(before);
  });

  it('lets only one of two simultaneous invocations of an upload move its checkpoint', async () => {
    const clean = await mainUpload();
    await runToEnd('main', clean);
    const ingest = await mainUpload();

    const settled = await Promise.allSettled([
      ingestUpload('main', ingest.deps, SETTINGS),
      ingestUpload('main', ingest.deps, SETTINGS),
    ]);
    const { outcome } = await runToEnd('main', ingest);

    const failures = settled.filter((result) => result.status === 'rejected');
    expect(failures.length).toBe(1);
    expect((failures[0] as PromiseRejectedResult).reason).toBeInstanceOf(CheckpointConflictError);
    expect(outcome).toEqual({ done: true, counters: EXPECTED_COUNTERS });
    expect(endState(ingest)).toEqual(endState(clean));
  });
});

describe('ingestUpload: files that cannot be read', () => {
  it('fails a file without an email column as a whole', async () => {
    const ingest = inMemoryIngest('name,phone\nAnn,123\n');

    const { outcome } = await runToEnd('no-email', ingest);

    expect(outcome).toMatchObject({ done: true, counters: { rowsRead: 0 } });
    expect(outcome.done && outcome.failure?.reason).toContain('No email column');
    expect(ingest.leadHashes.claimCalls).toBe(0);
  });

  it('fails a UTF-16 file as a whole, and says so again when redelivered', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('email\na@b.com\n', 'utf16le')]);
    const ingest = inMemoryIngest(utf16);

    const first = await runToEnd('utf16', ingest);
    const again = await ingestUpload('utf16', ingest.deps, SETTINGS);

    expect(first.outcome.done && first.outcome.failure?.reason).toContain('UTF-16');
    expect(again).toEqual(first.outcome);
  });

  it('keeps the rows before a row cap and reports where reading stopped', async () => {
    const ingest = inMemoryIngest('email\na@b.com\nc@d.com\ne@f.com\ng@h.com\ni@j.com\n');

    const { outcome } = await runToEnd('capped', ingest, {
      ...SETTINGS,
      csv: { ...SETTINGS.csv, maxRows: 4 },
    });

    expect(outcome).toEqual({
      done: true,
      counters: { rowsRead: 4, accepted: 4, duplicateInFile: 0, duplicateOfEarlier: 0, rejected: 0 },
      failure: { reason: 'The file has more than 4 rows; reading stopped at row 5', row: 5 },
    });
    expect(ingest.results.files.get('capped')?.rows).toHaveLength(4);
  });

  it('rejects a 10 MB line as one row, naming it, and reads the rows after it', async () => {
    const ingest = inMemoryIngest(
      `email,name\na@b.com,Ann\nc@d.com,${'x'.repeat(10 * 1024 * 1024)}\ne@f.com,Eve\n`,
    );

    const { outcome } = await runToEnd('long-line', ingest);

    expect(outcome).toEqual({
      done: true,
      counters: { rowsRead: 3, accepted: 2, duplicateInFile: 0, duplicateOfEarlier: 0, rejected: 1 },
    });
    const rows = ingest.results.files.get('long-line')?.rows ?? [];
    expect(rows.map((row) => [row.row, row.status, row.reason])).toEqual([
      [1, 'accepted', ''],
      [2, 'rejected', 'the row is longer than 65536 characters'],
      [3, 'accepted', ''],
    ]);
  });

  it('accepts the other rows of a file whose first row holds a 2 MB field', async () => {
    const ingest = inMemoryIngest(`email,name\na@b.com,${'y'.repeat(2 * 1024 * 1024)}\nc@d.com,Cy\n`);

    const { outcome } = await runToEnd('big-field', ingest);

    expect(outcome).toMatchObject({ done: true, counters: { rowsRead: 2, accepted: 1, rejected: 1 } });
    expect(outcome.done && outcome.failure).toBeUndefined();
  });

  it('keeps the rows before a quote that is never closed', async () => {
    const ingest = inMemoryIngest('email,name\na@b.com,Ann\nc@d.com,"Bo\ne@f.com,Eve\n');

    const { outcome } = await runToEnd('broken', ingest);

    expect(outcome).toMatchObject({
      done: true,
      counters: { rowsRead: 1, accepted: 1 },
      failure: { row: 2 },
    });
  });
});

describe('ingestUpload: counts', () => {
  const line = fc.oneof(
    fc.constantFrom('a@x.com', 'A@x.com', 'b@x.com', 'c@y.org', ' c@y.org ', 'dup@x.com', 'old@example.com'),
    fc.constantFrom('not an email', '', '@x.com', 'a@x.com,extra', '"q@x.com"', ',,'),
  );

  it('always add up to the rows read, and every row gets exactly one result', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 64 }),
        async (lines, chunkSize, chunkBytes) => {
          const leadHashes = new InMemoryLeadHashStore();
          await runToEnd('earlier', inMemoryIngest(EARLIER_FILE, { shared: { leadHashes } }));
          const ingest = inMemoryIngest(`email,name\n${lines.map((l) => `${l},n`).join('\n')}\n`, {
            shared: { leadHashes },
            chunkBytes,
            remainingTimeMs: () => 0,
          });

          const { outcome } = await runToEnd('main', ingest, { ...SETTINGS, chunkSize });

          if (!outcome.done) throw new Error('not done');
          const { rowsRead, accepted, duplicateInFile, duplicateOfEarlier, rejected } = outcome.counters;
          expect(accepted + duplicateInFile + duplicateOfEarlier + rejected).toBe(rowsRead);
          const rows = ingest.results.files.get('main')?.rows ?? [];
          expect(rows.map((row) => row.row)).toEqual(
            Array.from({ length: rowsRead }, (_, index) => index + 1),
          );
          expect(ingest.leads.leadsOf('main')).toHaveLength(accepted);
        },
      ),
      { numRuns: 60 },
    );
  });
});
