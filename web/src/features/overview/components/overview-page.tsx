import { lazy, Suspense } from 'react';
import { Link } from 'wouter';
import { Badge, Figure, Figures, Page, Section } from '@/components/page';
import { Empty, Loading, QueryView } from '@/components/states';
import { DataTable } from '@/components/table';
import type { ResponseBody } from '@/lib/api-types';
import { formatCount, formatDate, formatInstant } from '@/lib/format';
import { useOverview, useRecentRuns } from '../api/get-overview';

// uPlot is the largest piece of the console: it loads with the chart, not with the first screen.
const RunsChart = lazy(() => import('./runs-chart').then((m) => ({ default: m.RunsChart })));

type Overview = ResponseBody<'/admin/overview', 'get'>;

const weeksOfSupply = (supply: Overview['supply']) =>
  supply.weeksLeft === null ? 'no eligible members' : `${supply.weeksLeft.toFixed(1)} weeks`;

type Walk = NonNullable<Overview['supply']['forecast']>['withVerification'];

/** One row of the forecast: the first scheduled run this supply cannot cover, or that none within a year. */
const ForecastRow = ({ supply, walk }: { supply: string; walk: Walk }) => {
  const run = walk.firstShortRun;
  return (
    <tr>
      <th scope="row">{supply}</th>
      {run === null ? (
        <td colSpan={4}>no scheduled run within a year falls short</td>
      ) : (
        <>
          <td>{run.name}</td>
          <td>
            {formatInstant(run.at)}
            {walk.weeksUntilShort === null ? null : (
              <span className="muted"> · in {walk.weeksUntilShort.toFixed(1)} weeks</span>
            )}
          </td>
          <td className="number">{formatCount(run.owed)}</td>
          <td className="number">{formatCount(run.short)}</td>
        </>
      )}
    </tr>
  );
};

/** The forecast from the enabled schedules' cadence, with and without the leads still in verification. */
const Forecast = ({ forecast }: { forecast: Overview['supply']['forecast'] }) =>
  forecast === null ? (
    <p className="muted">No forecast: no schedule is enabled, or no member is eligible.</p>
  ) : (
    <DataTable
      compact
      caption="Forecast from the schedules: the first run the supply cannot cover"
      columns={[
        'Supply counted',
        'Schedule',
        'Run',
        { label: 'Owed', numeric: true },
        { label: 'Short', numeric: true },
      ]}
    >
      <ForecastRow supply="Available leads" walk={forecast} />
      <ForecastRow
        supply={`With the ${formatCount(forecast.leadsInVerification)} leads in verification`}
        walk={forecast.withVerification}
      />
    </DataTable>
  );

const OverviewFigures = ({ overview }: { overview: Overview }) => {
  const { leads, uploads, members, supply } = overview;
  const tiers = Object.entries(members.eligibleByTier);
  return (
    <>
      <Section title="Leads">
        <Figures>
          <Figure label="Pending verification" value={formatCount(leads.pendingVerification)} />
          <Figure label="Available" value={formatCount(leads.availableForDistribution)} />
          <Figure
            label="Distributed"
            value={formatCount(leads.distributedThisWeek)}
            hint={`this week · ${formatCount(leads.distributedAllTime)} all time`}
          />
          <Figure
            label="Duplicates"
            value={formatCount(leads.duplicatesAllTime)}
            hint={`${formatCount(leads.duplicatesInFileAllTime)} in a file · ${formatCount(leads.duplicatesOfEarlierAllTime)} of earlier leads`}
          />
          <Figure label="Rejected rows" value={formatCount(leads.rejectedRowsAllTime)} />
          <Figure label="Undeliverable" value={formatCount(leads.undeliverableAllTime)} />
          <Figure
            label="Uploads queued"
            value={formatCount(uploads.queued)}
            hint={uploads.oldestQueuedAt ? `oldest ${formatInstant(uploads.oldestQueuedAt)}` : undefined}
          />
          <Figure
            label="Uploads stuck in ingest"
            value={formatCount(uploads.stuck)}
            hint={
              uploads.stuckUploadIds.length > 0 ? (
                <>
                  resumed automatically, then failed:{' '}
                  {uploads.stuckUploadIds.map((id, index) => (
                    <span key={id}>
                      {index > 0 && ', '}
                      <Link href={`/uploads/${id}`}>{id}</Link>
                    </span>
                  ))}
                </>
              ) : undefined
            }
          />
        </Figures>
      </Section>
      <Section title="Supply and demand">
        <Figures>
          <Figure label="Eligible members" value={formatCount(members.eligible)} />
          <Figure
            label="Members not emailed"
            value={formatCount(members.withMarkedAddress)}
            hint="address marked after a hard bounce or a complaint"
          />
          <Figure label="Weekly demand" value={`${formatCount(overview.weeklyDemand)} leads`} />
          <Figure label="Weeks of supply" value={weeksOfSupply(supply)} />
          <Figure label="Runs out on" value={formatDate(supply.runsOutOn)} />
          <Figure
            label="Returns waiting"
            value={<Link href="/returns">{formatCount(overview.returns.pending)}</Link>}
            hint={`${formatCount(overview.returns.approved)} approved · ${formatCount(overview.returns.refused)} refused`}
          />
        </Figures>
        <Forecast forecast={supply.forecast} />
        {tiers.length === 0 ? (
          <Empty>No member is eligible for leads yet.</Empty>
        ) : (
          <DataTable
            compact
            caption="Eligible members by tier"
            columns={['Tier', { label: 'Members', numeric: true }]}
          >
            {tiers.map(([tier, count]) => (
              <tr key={tier}>
                <td>{tier}</td>
                <td className="number">{formatCount(count)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Section>
      <Section title="Runs">
        <Figures>
          <Figure
            label="Last run"
            value={
              overview.lastRun ? (
                <Link href={`/distributions/${overview.lastRun.runId}`}>
                  {formatInstant(overview.lastRun.startedAt)}
                </Link>
              ) : (
                'none yet'
              )
            }
            hint={
              overview.lastRun && (
                <>
                  <Badge state={overview.lastRun.state} /> {overview.lastRun.trigger} ·{' '}
                  {formatCount(overview.lastRun.leadsAssigned)} leads
                </>
              )
            }
          />
          <Figure
            label="Next run"
            value={overview.nextRun ? formatInstant(overview.nextRun.at) : 'none scheduled'}
            hint={
              overview.nextRun && (
                <Link href={`/schedules/${overview.nextRun.scheduleId}`}>{overview.nextRun.name}</Link>
              )
            }
          />
        </Figures>
      </Section>
    </>
  );
};

const RecentRuns = () => {
  const runs = useRecentRuns();
  return (
    <Section title="Recent runs">
      <QueryView query={runs} what="recent runs">
        {(page) =>
          page.runs.length === 0 ? (
            <Empty>No distribution has run yet.</Empty>
          ) : (
            <Suspense fallback={<Loading what="the chart" />}>
              <RunsChart runs={page.runs} />
            </Suspense>
          )
        }
      </QueryView>
    </Section>
  );
};

export const OverviewPage = () => {
  const overview = useOverview();
  return (
    <Page title="Overview">
      <QueryView query={overview} what="the overview">
        {(data) => (
          <>
            <p className="muted">Figures as of {formatInstant(data.generatedAt)}.</p>
            <OverviewFigures overview={data} />
          </>
        )}
      </QueryView>
      <RecentRuns />
    </Page>
  );
};
