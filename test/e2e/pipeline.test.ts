import { describe, expect, it } from 'vitest';
import { devConfig } from '../../lib/config';
import { runScenario, SCENARIO_MEMBERS, SCENARIO_SCHEDULE } from '../../local/scenario';
import { generateScenarioFiles, type RowKind, SCENARIO_FILES } from '../../local/scenario-data';
import { useLocalStack } from '../support/local-stack';

/**
 * `npm run demo`'s scenario end to end, over HTTP against the local stack: the same code as the demo, with
 * the scheduler's clock moved to the run instead of waited for. Every expected figure comes from what the
 * generator made (which rows are bad, repeated, disposable), never from a second read of the API.
 */
const SEED = 20_260_101;
const stack = useLocalStack({ fresh: true });

describe('the demo scenario, end to end', () => {
  it('turns two overlapping CSV files into verified leads, a fair run, emails and weeks of supply', async () => {
    const report = await runScenario({
      apiUrl: stack.current.url,
      seed: SEED,
      pollMs: 100,
      // Generous: the whole suite runs beside it; alone it takes about 30 s.
      timeoutMs: 150_000,
      untilRunStarts: (startsAt) => stack.current.scheduler.runDue(startsAt),
    });

    // Prepare the yardstick: the generator's own account of each file.
    const { files } = generateScenarioFiles(SEED);
    const count = (rows: readonly RowKind[], ...kinds: RowKind[]) =>
      rows.filter((kind) => kinds.includes(kind)).length;
    const expectedUploads = files.map(({ name, rows }) => ({
      fileName: name,
      state: 'queued',
      counts: {
        rowsRead: rows.length,
        accepted: count(rows, 'clean', 'disposable', 'typo'),
        duplicateInFile: count(rows, 'duplicate_in_file'),
        duplicateOfEarlier: count(rows, 'duplicate_of_earlier'),
        rejected: count(rows, 'bad'),
        verificationPending: 0,
        deliverable: count(rows, 'clean'),
        undeliverable: count(rows, 'disposable', 'typo'),
      },
    }));
    const quota = new Map(devConfig().tiers.map((tier) => [tier.name, tier.weeklyQuota]));
    const members = Object.entries(SCENARIO_MEMBERS).flatMap(([tier, n]) => Array(n).fill(tier) as string[]);
    const weeklyDemand = members.reduce((total, tier) => total + (quota.get(tier) ?? 0), 0);
    const deliverable = files.reduce((total, { rows }) => total + count(rows, 'clean'), 0);
    // Enough supply for everyone: each member is topped up to the full quota of their tier.
    expect(deliverable).toBeGreaterThan(weeklyDemand);
    const firstFileDeliverable = count(files[0]?.rows ?? [], 'clean');

    // Ingest and verification: every row accounted for, per file.
    expect(report.uploads).toMatchObject(expectedUploads);
    // Oldest upload first: the first file alone covers this week's demand.
    expect(report.uploads.map((upload) => upload.counts.assigned)).toEqual([
      Math.min(weeklyDemand, firstFileDeliverable),
      weeklyDemand - Math.min(weeklyDemand, firstFileDeliverable),
    ]);

    // Distribution: each member's own CSV holds their quota; one email each.
    expect(
      report.members.map(({ tier, leadsInCsv, emailsReceived }) => ({ tier, leadsInCsv, emailsReceived })),
    ).toEqual(members.map((tier) => ({ tier, leadsInCsv: quota.get(tier), emailsReceived: 1 })));
    expect(report.run).toMatchObject({
      state: 'succeeded',
      trigger: 'manual',
      leadsAssigned: weeklyDemand,
      membersServed: members.length,
      membersShort: 0,
      membersNotified: members.length,
    });
    const csvLines = report.sampleCsv.text.trim().split(/\r\n/);
    expect(csvLines[0]).toMatch(/^email,first_name,last_name/);
    expect(csvLines).toHaveLength(1 + (quota.get(report.sampleCsv.tier) ?? 0));

    // The overview: totals over both files, and the weeks the rest will last.
    const available = deliverable - weeklyDemand;
    const allRows = files.flatMap(({ rows }) => rows);
    expect(report.overview).toMatchObject({
      leads: {
        pendingVerification: 0,
        availableForDistribution: available,
        distributedThisWeek: weeklyDemand,
        distributedAllTime: weeklyDemand,
        duplicatesAllTime: count(allRows, 'duplicate_in_file', 'duplicate_of_earlier'),
        duplicatesInFileAllTime: count(allRows, 'duplicate_in_file'),
        duplicatesOfEarlierAllTime: count(allRows, 'duplicate_of_earlier'),
        rejectedRowsAllTime: count(allRows, 'bad'),
        undeliverableAllTime: count(allRows, 'disposable', 'typo'),
      },
      uploads: { queued: SCENARIO_FILES.length },
      members: { eligible: members.length, eligibleByTier: SCENARIO_MEMBERS },
      weeklyDemand,
      lastRun: { runId: report.run.runId, state: 'succeeded', leadsAssigned: weeklyDemand },
      nextRun: { name: SCENARIO_SCHEDULE.name },
    });
    expect(report.overview.supply.weeksLeft).toBeCloseTo(available / weeklyDemand, 1);
    expect(report.schedulerHealth).toMatchObject({ verdict: 'healthy', reasons: [] });
  }, 180_000);
});
