import { randomInt } from 'node:crypto';
import { DEMO_DEFAULT_API_URL, DEV_TOKENS_PATH } from './dev-paths';
import type { LocalStack } from './runtime';
import { runScenario, type ScenarioProgress, type ScenarioReport } from './scenario';

/**
 * `npm run demo`: the scenario of local/scenario.ts against a running `npm start` (DEMO_API_URL, default
 * http://127.0.0.1:3000), or against a stack started here in memory when nothing answers there. Prints
 * progress on stderr and the figures the API gives back on stdout; exits 1 with the reason on failure.
 * Options: --seed <n> makes the same files again (a random seed otherwise).
 */

const seedArgument = () => {
  const index = process.argv.indexOf('--seed');
  if (index === -1) return randomInt(1, 2 ** 31);
  const seed = Number(process.argv[index + 1]);
  if (!Number.isSafeInteger(seed) || seed < 1) throw new Error('--seed takes a whole number above 0');
  return seed;
};

/** Whether a local stack answers at `url`: its dev token route is the sign, as only the local front door has it. */
const probe = async (url: string): Promise<'local' | 'absent' | { status: number }> => {
  try {
    const response = await fetch(`${url}${DEV_TOKENS_PATH}?role=admin`, {
      signal: AbortSignal.timeout(3_000),
    });
    await response.body?.cancel();
    return response.ok ? 'local' : { status: response.status };
  } catch {
    return 'absent';
  }
};

const number = (value: number) => value.toLocaleString('en-US');
/** Numbers right-aligned, text left-aligned, in a column `width` wide. */
const pad = (value: string | number, width: number) =>
  typeof value === 'number' ? number(value).padStart(width) : value.padEnd(width);

/** One progress line: redrawn in place on a terminal, a line per quarter otherwise (CI logs). */
const progressLine = () => {
  const tty = process.stderr.isTTY;
  let last = '';
  let lastQuarter = -1;
  let lastKey = '';
  return {
    bar(label: string, done: number, total: number, unit: string) {
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const width = 30;
      const filled = Math.round(ratio * width);
      const text = `  ${label.padEnd(34)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${number(done)} / ${number(total)} ${unit}`;
      if (tty) {
        if (text !== last) process.stderr.write(`\r${text}`);
      } else {
        const quarter = Math.floor(ratio * 4);
        if (quarter !== lastQuarter) process.stderr.write(`${text}\n`);
        lastQuarter = quarter;
      }
      last = text;
    },
    /** A status line; off a terminal, printed again only when `key` (the status, not a countdown) changes. */
    note(text: string, key: string) {
      if (tty && text !== last) process.stderr.write(`\r${text.padEnd(last.length)}`);
      else if (!tty && key !== lastKey) process.stderr.write(`${text}\n`);
      last = text;
      lastKey = key;
    },
    end() {
      if (tty && last) process.stderr.write('\n');
      last = '';
      lastQuarter = -1;
      lastKey = '';
    },
  };
};

const reportProgress = () => {
  const line = progressLine();
  let phase = '';
  return (progress: ScenarioProgress) => {
    const key = progress.phase === 'ingest' ? `ingest ${progress.fileName}` : progress.phase;
    if (key !== phase) line.end();
    phase = key;
    switch (progress.phase) {
      case 'step':
        process.stderr.write(`${progress.message}…\n`);
        break;
      case 'ingest':
        line.bar(`Ingest ${progress.fileName}`, progress.rowsRead, progress.rows, 'rows read');
        break;
      case 'verification':
        line.bar(
          'Verification (Rapid Email Verifier)',
          progress.verified,
          progress.accepted,
          'leads verified',
        );
        break;
      case 'distribution': {
        const seconds = Math.max(0, Math.ceil((Date.parse(progress.startsAt) - Date.now()) / 1000));
        line.note(
          `  Run ${progress.state}: starts at ${progress.startsAt.slice(11, 19)} UTC` +
            (seconds > 0 ? ` (in ${seconds} s; the scheduler checks every 10 s)` : ''),
          progress.state,
        );
        break;
      }
    }
  };
};

const printReport = (report: ScenarioReport, apiUrl: string) => {
  const out: string[] = [];
  const { overview, run } = report;
  out.push('', `Proleads demo — seed ${report.seed}, against ${apiUrl}`, '');
  out.push('Uploads (GET /admin/uploads/{id})');
  out.push(
    `  ${pad('file', 22)} ${pad('state', 7)} ${'rows'.padStart(6)} ${'accepted'.padStart(9)} ${'dup in file'.padStart(12)} ${'dup earlier'.padStart(12)} ${'rejected'.padStart(9)} ${'deliverable'.padStart(12)} ${'undeliverable'.padStart(14)} ${'assigned'.padStart(9)}`,
  );
  for (const { fileName, state, counts } of report.uploads)
    out.push(
      `  ${pad(fileName, 22)} ${pad(state, 7)} ${pad(counts.rowsRead, 6)} ${pad(counts.accepted, 9)} ${pad(counts.duplicateInFile, 12)} ${pad(counts.duplicateOfEarlier, 12)} ${pad(counts.rejected, 9)} ${pad(counts.deliverable, 12)} ${pad(counts.undeliverable, 14)} ${pad(counts.assigned, 9)}`,
    );
  const seconds = run.endedAt ? (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000 : undefined;
  out.push(
    '',
    `Distribution run ${run.runId} (GET /admin/distributions): ${run.trigger}, ${run.state}${seconds === undefined ? '' : ` in ${seconds.toFixed(1)} s`}`,
    `  leads assigned ${number(run.leadsAssigned)} · members served ${run.membersServed} · short ${run.membersShort} · notified ${run.membersNotified}`,
    '',
    'Members (their own GET /members/me/leads.csv, and the SES emulator’s mail for each)',
    `  ${pad('member', 28)} ${pad('tier', 8)} ${'quota'.padStart(5)} ${'leads'.padStart(6)} ${'emails'.padStart(7)}  subject`,
  );
  for (const member of report.members)
    out.push(
      `  ${pad(member.memberId, 28)} ${pad(member.tier, 8)} ${pad(member.weeklyQuota, 5)} ${pad(member.leadsInCsv, 6)} ${pad(member.emailsReceived, 7)}  ${member.emailSubjects[0] ?? ''}`,
    );
  const csvLines = report.sampleCsv.text.trim().split(/\r?\n/);
  out.push(
    '',
    `${report.sampleCsv.memberId}'s CSV (${report.sampleCsv.tier}; ${csvLines.length - 1} rows, the first 3):`,
    ...csvLines.slice(0, 4).map((line) => `  ${line}`),
  );
  const tiers = Object.entries(overview.members.eligibleByTier)
    .map(([tier, count]) => `${tier} ${count}`)
    .join(', ');
  out.push(
    '',
    'Overview (GET /admin/overview)',
    `  leads     pending verification ${number(overview.leads.pendingVerification)} · available ${number(overview.leads.availableForDistribution)} · distributed this week ${number(overview.leads.distributedThisWeek)} · all time ${number(overview.leads.distributedAllTime)}`,
    `            duplicates ${number(overview.leads.duplicatesAllTime)} (in file ${number(overview.leads.duplicatesInFileAllTime)}, of earlier uploads ${number(overview.leads.duplicatesOfEarlierAllTime)}) · rejected rows ${number(overview.leads.rejectedRowsAllTime)} · undeliverable ${number(overview.leads.undeliverableAllTime)}`,
    `  members   ${overview.members.eligible} eligible (${tiers}) · weekly demand ${number(overview.weeklyDemand)} leads`,
    `  supply    ${overview.supply.weeksLeft === null ? 'no demand yet' : `${overview.supply.weeksLeft} weeks`}${overview.supply.runsOutOn ? `, runs out on ${overview.supply.runsOutOn}` : ''}`,
    `  uploads   ${overview.uploads.queued} queued${overview.uploads.oldestQueuedAt ? `, oldest since ${overview.uploads.oldestQueuedAt}` : ''}`,
    `  last run  ${overview.lastRun ? `${overview.lastRun.runId} ${overview.lastRun.trigger}, ${overview.lastRun.state}, ${number(overview.lastRun.leadsAssigned)} leads` : 'none'}`,
    `  next run  ${overview.nextRun ? `${overview.nextRun.at} (${overview.nextRun.name})` : 'none scheduled'} — schedule ${report.schedule.name}: ${report.schedule.expression}`,
    '',
    `Scheduler health (GET /admin/scheduler/health): ${report.schedulerHealth.verdict}${report.schedulerHealth.reasons.length ? ` — ${report.schedulerHealth.reasons.join('; ')}` : ''}`,
    '',
  );
  process.stdout.write(out.join('\n'));
};

const main = async () => {
  const seed = seedArgument();
  let apiUrl = (process.env.DEMO_API_URL ?? DEMO_DEFAULT_API_URL).replace(/\/+$/, '');
  let ownStack: LocalStack | undefined;
  const found = await probe(apiUrl);
  if (typeof found === 'object')
    throw new Error(
      `${apiUrl} answers, but not as a local stack (GET ${DEV_TOKENS_PATH} gave ${found.status}). ` +
        'The demo mints dev tokens, so it needs `npm start`, not a deployed stack.',
    );
  if (found === 'absent') {
    process.stderr.write(
      `Nothing answers at ${apiUrl}: starting a local stack in this process (in memory)…\n`,
    );
    // Imported here so that a demo against `npm start` does not load the emulators.
    const { startLocalStack } = await import('./runtime');
    ownStack = await startLocalStack({
      fireSchedules: true,
      // The demo's own output is the point: the functions' logs and metrics stay quiet.
      env: { POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' },
    });
    apiUrl = ownStack.url;
  }
  try {
    const report = await runScenario({ apiUrl, seed, onProgress: reportProgress() });
    printReport(report, apiUrl);
  } finally {
    await ownStack?.stop();
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
