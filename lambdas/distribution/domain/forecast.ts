import { WEEK_MS } from './entitlement';

/**
 * The supply forecast from the schedules' real cadence. Every run delivers the entitlement accrued since
 * the previous run took it (to the end of that run's week) up to the end of its own week, at the eligible
 * members' weekly demand: a weekly schedule takes a week at a time, a monthly one four or five. Walking the
 * upcoming runs in time order, the first run the supply cannot cover is where it falls short, and by how
 * much. Leads still in verification are counted in a second walk, so the admin sees both.
 *
 * It assumes today's members and quotas and no new uploads, and ignores carry-over (a shortfall ends it).
 */

export interface UpcomingRun {
  scheduleId: string;
  name: string;
  at: Date;
  /** the end of the run's week in its schedule's zone: the run takes entitlement up to here */
  weekEnd: Date;
}

export interface ShortRun {
  scheduleId: string;
  name: string;
  at: string;
  /** what the run will owe the eligible members */
  owed: number;
  /** what will be left for it */
  available: number;
  short: number;
}

export interface SupplyWalk {
  /** weeks from now until the first run that falls short; null when none does within the runs given */
  weeksUntilShort: number | null;
  firstShortRun: ShortRun | null;
}

export interface SupplyForecast extends SupplyWalk {
  leadsInVerification: number;
  /** the same walk with the leads still in verification counted as available */
  withVerification: SupplyWalk;
}

const walk = (
  runs: readonly UpcomingRun[],
  available: number,
  weeklyDemand: number,
  accruedThrough: Date,
  now: Date,
): SupplyWalk => {
  let left = Math.max(0, available);
  let through = accruedThrough.getTime();
  for (const run of runs) {
    const weeks = Math.max(0, run.weekEnd.getTime() - through) / WEEK_MS;
    const owed = Math.round(weeklyDemand * weeks);
    through = Math.max(through, run.weekEnd.getTime());
    if (owed > left)
      return {
        weeksUntilShort: Math.round(((run.at.getTime() - now.getTime()) / WEEK_MS) * 100) / 100,
        firstShortRun: {
          scheduleId: run.scheduleId,
          name: run.name,
          at: run.at.toISOString(),
          owed,
          available: left,
          short: owed - left,
        },
      };
    left -= owed;
  }
  return { weeksUntilShort: null, firstShortRun: null };
};

/**
 * `accruedThrough`: where the entitlement already taken ends (the end of the last run's week, or the start
 * of this week before any run). Null without an upcoming run or without demand.
 */
export const forecastSupply = (input: {
  runs: readonly UpcomingRun[];
  available: number;
  leadsInVerification: number;
  weeklyDemand: number;
  accruedThrough: Date;
  now: Date;
}): SupplyForecast | null => {
  if (input.runs.length === 0 || input.weeklyDemand <= 0) return null;
  const runs = [...input.runs].sort((a, b) => a.at.getTime() - b.at.getTime());
  const { available, leadsInVerification, weeklyDemand, accruedThrough, now } = input;
  return {
    ...walk(runs, available, weeklyDemand, accruedThrough, now),
    leadsInVerification,
    withVerification: walk(runs, available + leadsInVerification, weeklyDemand, accruedThrough, now),
  };
};
