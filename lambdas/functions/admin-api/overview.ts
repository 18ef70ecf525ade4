import { newestRuns } from '../../distribution/adapters/run-store';
import { forecastSupply } from '../../distribution/domain/forecast';
import { oldestQueuedUploadAt } from '../../ingest/adapters/upload-catalog';
import type { Tier } from '../../members/domain/tiers';
import { readAllSchedules } from '../../schedules/adapters/schedule-store';
import { nextRunTimes, weekBounds, weekKey } from '../../schedules/domain/schedule';
import { specOf } from '../../schedules/domain/schedule-view';
import { batchGetAll, type DocumentClient } from '../../shared/dynamo';
import {
  eligibleTierCounter,
  GLOBAL_COUNTERS_KEY,
  INGEST_SWEEP_KEY,
  type IngestSweepItem,
  weekCountersKey,
} from '../../shared/model';
import { supplyRunsOutOn, weeksOfSupply } from '../../shared/supply';
import type { Overview } from './answers';

/** The forecast looks a year ahead: 53 runs of a weekly schedule. */
const FORECAST_RUNS = 53;
const FORECAST_HORIZON_MS = 366 * 86_400_000;

export interface OverviewDeps {
  readonly doc: DocumentClient;
  readonly tables: { readonly uploads: string; readonly control: string };
  readonly tiers: readonly Tier[];
  /** The zone whose week "this week" means (the distribution's default zone). */
  readonly timeZone: string;
  readonly now: () => Date;
}

/**
 * The admin overview. Every figure comes from a maintained counter or the head of an index, so it costs four
 * DynamoDB requests (the counters, the oldest queued upload, the last run, the schedules) however many uploads,
 * leads and members there are. Schedules are admin-made and small: one page (1 MB) holds thousands of them.
 */
export const readOverview = async (deps: OverviewDeps): Promise<Overview> => {
  const now = deps.now();
  const thisWeek = weekCountersKey(weekKey(now, deps.timeZone));
  const [counterItems, oldestQueued, lastRun, schedules] = await Promise.all([
    batchGetAll<Record<string, unknown>>(
      deps.doc,
      deps.tables.control,
      [GLOBAL_COUNTERS_KEY, thisWeek, INGEST_SWEEP_KEY],
      {
        consistentRead: true,
      },
    ),
    oldestQueuedUploadAt(deps.doc, deps.tables.uploads),
    newestRuns(deps.doc, deps.tables.control, { limit: 1 }),
    readAllSchedules(deps.doc, deps.tables.control),
  ]);

  const items = counterItems;
  const counter = (key: { sk: string }) => {
    const item = items.find((candidate) => candidate.sk === key.sk) ?? {};
    return (name: string) => Number(item[name] ?? 0);
  };
  const total = counter(GLOBAL_COUNTERS_KEY);
  const sweep = items.find((candidate) => candidate.sk === INGEST_SWEEP_KEY.sk) as
    | IngestSweepItem
    | undefined;
  const week = counter(thisWeek);

  const available = total('leadsAvailable');
  const weeklyDemand = total('weeklyDemand');
  const weeksLeft = weeksOfSupply(available, weeklyDemand);
  const run = lastRun.runs[0];
  const next = schedules
    .flatMap((schedule) =>
      nextRunTimes(specOf(schedule), now, 1).map((at) => ({
        scheduleId: schedule.scheduleId,
        name: schedule.name,
        at,
      })),
    )
    .sort((a, b) => a.at.getTime() - b.at.getTime())[0];

  // A year of each enabled schedule's runs, each taking the entitlement up to the end of its week.
  const upcoming = schedules
    .filter((schedule) => schedule.enabled && schedule.pendingOp !== 'delete')
    .flatMap((schedule) =>
      nextRunTimes(specOf(schedule), now, FORECAST_RUNS).map((at) => ({
        scheduleId: schedule.scheduleId,
        name: schedule.name,
        at,
        weekEnd: weekBounds(at, schedule.timeZone).end,
      })),
    )
    .filter((upcomingRun) => upcomingRun.at.getTime() - now.getTime() <= FORECAST_HORIZON_MS);
  const forecast = forecastSupply({
    runs: upcoming,
    available,
    leadsInVerification: total('leadsPendingVerification'),
    weeklyDemand,
    accruedThrough:
      run?.state === 'succeeded'
        ? weekBounds(new Date(run.runAt), run.timeZone).end
        : weekBounds(now, deps.timeZone).start,
    now,
  });

  return {
    generatedAt: now.toISOString(),
    leads: {
      pendingVerification: total('leadsPendingVerification'),
      availableForDistribution: available,
      distributedThisWeek: week('leadsAssigned'),
      distributedAllTime: total('leadsAssigned'),
      duplicatesAllTime: total('duplicatesInFile') + total('duplicatesOfEarlier'),
      duplicatesInFileAllTime: total('duplicatesInFile'),
      duplicatesOfEarlierAllTime: total('duplicatesOfEarlier'),
      rejectedRowsAllTime: total('rowsRejected'),
      undeliverableAllTime: total('leadsUndeliverable'),
    },
    uploads: {
      queued: total('queuedUploads'),
      oldestQueuedAt: oldestQueued ?? null,
      stuck: sweep?.stuckUploads ?? 0,
      stuckUploadIds: sweep?.stuckUploadIds ?? [],
    },
    members: {
      eligible: total('eligibleMembers'),
      eligibleByTier: Object.fromEntries(
        deps.tiers.map((tier) => [tier.name, total(eligibleTierCounter(tier.name))]),
      ),
      withMarkedAddress: total('markedMembers'),
    },
    weeklyDemand,
    returns: {
      pending: total('returnsPending'),
      approved: total('returnsApproved'),
      refused: total('returnsRefused'),
    },
    supply: {
      weeksLeft: weeksLeft ?? null,
      runsOutOn: weeksLeft === undefined ? null : supplyRunsOutOn(now, weeksLeft),
      forecast,
    },
    lastRun: run
      ? {
          runId: run.runId,
          state: run.state,
          trigger: run.trigger,
          startedAt: run.startedAt,
          endedAt: run.endedAt ?? null,
          leadsAssigned: run.leadsAssigned ?? 0,
        }
      : null,
    nextRun: next ? { ...next, at: next.at.toISOString() } : null,
  };
};
