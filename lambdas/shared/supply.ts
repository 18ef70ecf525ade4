/**
 * Weeks of supply: lead slots available for distribution over the eligible members' weekly demand, to two
 * decimals; undefined while nobody is eligible (no demand, no end in sight). One definition for the run
 * summary, the overview and the watchdog's metric, so the dashboard and the API never disagree.
 */
export const weeksOfSupply = (available: number, weeklyDemand: number): number | undefined =>
  weeklyDemand > 0 ? Math.round((Math.max(0, available) / weeklyDemand) * 100) / 100 : undefined;

/** The calendar date (UTC, YYYY-MM-DD) the supply runs out at the current demand. */
export const supplyRunsOutOn = (now: Date, weeks: number): string =>
  new Date(now.getTime() + weeks * 7 * 86_400_000).toISOString().slice(0, 10);
