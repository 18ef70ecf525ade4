import { stringify } from 'csv-stringify/sync';

/**
 * The sample lead files of the demo scenario, made from a seed so that the demo and its end-to-end test
 * upload the same kind of data and the test knows, row by row, what the pipeline must make of it.
 * Steps: fresh addresses of each kind -> bad rows -> repeats of the earlier file's addresses -> shuffle ->
 * repeats within the file, each placed after the row it repeats, spelled differently (case, spaces).
 */

/** What a row is, as the generator made it: the pipeline's verdict on it is known in advance. */
export type RowKind =
  /** A fresh, deliverable address. */
  | 'clean'
  /** A fresh address at a disposable-mail domain: accepted, then rejected by the verifier. */
  | 'disposable'
  /** A fresh address at a misspelt big-provider domain (gmial.com): accepted, rejected as a possible typo. */
  | 'typo'
  /** Not a lead at all (no valid email, wrong number of fields): rejected by the ingest. */
  | 'bad'
  /** The same address as an earlier row of this file. */
  | 'duplicate_in_file'
  /** The same address as a row of an earlier file. */
  | 'duplicate_of_earlier';

export interface FilePlan {
  readonly name: string;
  readonly counts: Readonly<Record<RowKind, number>>;
}

export interface GeneratedFile {
  readonly name: string;
  readonly content: string;
  /** One kind per data row, in file order. */
  readonly rows: readonly RowKind[];
}

/** Two files from two lead sources: the second repeats part of the first, as real sources overlap. */
export const SCENARIO_FILES: readonly FilePlan[] = [
  {
    name: 'trade-show-leads.csv',
    counts: {
      clean: 1600,
      disposable: 80,
      typo: 50,
      bad: 80,
      duplicate_in_file: 120,
      duplicate_of_earlier: 0,
    },
  },
  {
    name: 'webinar-signups.csv',
    counts: {
      clean: 750,
      disposable: 35,
      typo: 25,
      bad: 40,
      duplicate_in_file: 50,
      duplicate_of_earlier: 180,
    },
  },
];

const HEADER = ['First Name', 'Last Name', 'Email', 'Company', 'Job Title', 'Phone', 'City', 'Country'];

const FIRST_NAMES = [
  'Ava',
  'Liam',
  'Maya',
  'Noah',
  'Zoe',
  'Omar',
  'Lena',
  'Ravi',
  'Ines',
  'Tom',
  'Yuki',
  'Sara',
];
const LAST_NAMES = [
  'Lopez',
  'Nguyen',
  'Smith',
  'Okafor',
  'Rossi',
  'Novak',
  'Khan',
  'Berg',
  'Silva',
  'Moreau',
];
const COMPANIES: readonly (readonly [string, string])[] = [
  ['Northwind Traders', 'northwind-traders.example'],
  ['Contoso, Ltd.', 'contoso.example'],
  ['Fabrikam', 'fabrikam.example'],
  ['Globex', 'globex.example'],
  ['Initech', 'initech.example'],
  ['Acme Widgets', 'acme-widgets.example'],
  ['Umbrella Health', 'umbrella-health.example'],
  ['Hooli', 'hooli.example'],
];
const TITLES = ['Head of Sales', 'Marketing Manager', 'CTO', 'Founder', 'Operations Lead', 'Buyer'];
const CITIES: readonly (readonly [string, string])[] = [
  ['Austin', 'US'],
  ['Leeds', 'GB'],
  ['Lyon', 'FR'],
  ['Porto', 'PT'],
  ['Toronto', 'CA'],
  ['Melbourne', 'AU'],
];
/** In the `disposable-email-domains` list the verifier stand-in (and the real service) reads. */
const DISPOSABLE_DOMAINS = ['mailinator.com', 'yopmail.com', 'guerrillamail.com', 'trashmail.com'];
/** Misspellings the verifier answers with a typo suggestion (local/verifier/decide.ts TYPO_DOMAINS). */
const TYPO_DOMAINS = ['gmial.com', 'hotmial.com', 'yaho.com', 'outlok.com'];

/** mulberry32: a small seeded generator, so one seed always makes the same files. */
const seededRandom = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

type Row = { kind: RowKind; cells: string[] };

/**
 * The scenario's files for a seed. Every address carries a tag made from the seed, so a second demo on a
 * stack that keeps its data (`.local-data/`) brings new leads rather than duplicates of the first.
 */
export const generateScenarioFiles = (seed: number, plans: readonly FilePlan[] = SCENARIO_FILES) => {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const tag = seed.toString(36);
  let serial = 0;
  const earlierEmails: string[] = [];

  const person = () => {
    const [company, domain] = pick(COMPANIES);
    const [city, country] = pick(CITIES);
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    serial += 1;
    const phone = `555-${String(serial).padStart(4, '0')}`;
    // The tag first, then the serial: addresses of two seeds can never meet.
    return { first, last, company, domain, city, country, phone, local: `${first}.${last}.${tag}-${serial}` };
  };
  const freshRow = (kind: 'clean' | 'disposable' | 'typo'): Row => {
    const p = person();
    const domain =
      kind === 'clean' ? p.domain : pick(kind === 'disposable' ? DISPOSABLE_DOMAINS : TYPO_DOMAINS);
    const email = `${p.local}@${domain}`.toLowerCase();
    return { kind, cells: [p.first, p.last, email, p.company, pick(TITLES), p.phone, p.city, p.country] };
  };
  const badRow = (index: number): Row => {
    const p = person();
    const base = [p.first, p.last, '', p.company, pick(TITLES), p.phone, p.city, p.country];
    // The mistakes real exports make: a mangled address, none at all, a row cut short.
    const variants = [
      () => base.with(2, `${p.local}(at)${p.domain}`.toLowerCase()),
      () => base,
      () => base.with(2, `${p.local}@@${p.domain}`.toLowerCase()),
      () => base.with(2, `${p.local}@${p.domain}`.toLowerCase()).slice(0, 4),
    ];
    return { kind: 'bad', cells: (variants[index % variants.length] as () => string[])() };
  };
  /** The same address as another spelling would carry it: upper case, padded. */
  const respelt = (email: string) => (random() < 0.5 ? email.toUpperCase() : `  ${email} `);

  const files: GeneratedFile[] = plans.map((plan) => {
    const { counts } = plan;
    const rows: Row[] = [
      ...Array.from({ length: counts.clean }, () => freshRow('clean')),
      ...Array.from({ length: counts.disposable }, () => freshRow('disposable')),
      ...Array.from({ length: counts.typo }, () => freshRow('typo')),
      ...Array.from({ length: counts.bad }, (_, index) => badRow(index)),
      ...takeDistinct(earlierEmails, counts.duplicate_of_earlier, random).map((email): Row => {
        const p = person();
        const cells = [p.first, p.last, respelt(email), p.company, pick(TITLES), p.phone, p.city, p.country];
        return { kind: 'duplicate_of_earlier', cells };
      }),
    ];
    shuffle(rows, random);
    const withRepeats = insertRepeats(rows, counts.duplicate_in_file, random, (original) => ({
      kind: 'duplicate_in_file',
      cells: original.cells.with(2, respelt(original.cells[2] ?? '')),
    }));
    earlierEmails.push(...rows.filter((row) => row.kind === 'clean').map((row) => row.cells[2] ?? ''));
    return {
      name: plan.name,
      content: stringify([HEADER, ...withRepeats.map((row) => row.cells)]),
      rows: withRepeats.map((row) => row.kind),
    };
  });
  return { seed, tag, files };
};

const shuffle = <T>(items: T[], random: () => number) => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
};

const takeDistinct = <T>(items: readonly T[], count: number, random: () => number): T[] => {
  if (count > items.length) throw new Error(`the plan repeats ${count} addresses of ${items.length}`);
  const copy = [...items];
  shuffle(copy, random);
  return copy.slice(0, count);
};

/**
 * `count` repeats of clean rows, each placed somewhere after the row it repeats (so the ingest meets the
 * original first), never a repeat of a repeat.
 */
const insertRepeats = (
  rows: readonly Row[],
  count: number,
  random: () => number,
  repeat: (original: Row) => Row,
): Row[] => {
  const cleanIndexes = rows.flatMap((row, index) => (row.kind === 'clean' ? [index] : []));
  const after = new Map<number, Row[]>();
  for (let n = 0; n < count; n++) {
    const original = cleanIndexes[Math.floor(random() * cleanIndexes.length)] ?? 0;
    const at = original + Math.floor(random() * (rows.length - original));
    after.set(at, [...(after.get(at) ?? []), repeat(rows[original] as Row)]);
  }
  return rows.flatMap((row, index) => [row, ...(after.get(index) ?? [])]);
};
