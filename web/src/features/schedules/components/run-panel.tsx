import { Link } from 'wouter';
import { Empty, ErrorMessage } from '@/components/states';
import { DataTable } from '@/components/table';
import { formatCount, formatInstant } from '@/lib/format';
import { type DryRunPlan, useDryRun, useRunNow } from '../api/schedules';

/** The plan of a dry run: who gets how many leads from which uploads, and who falls short. */
export const PlanTable = ({ plan }: { plan: DryRunPlan }) => (
  <section aria-label="Dry-run plan">
    <p>
      Week {plan.weekKey} ({plan.timeZone}): {formatCount(plan.eligibleMembers)} eligible members are owed{' '}
      {formatCount(plan.totals.need)} leads; {formatCount(plan.totals.assigned)} would be assigned,{' '}
      <strong>{formatCount(plan.totals.shortfall)} short</strong>
      {plan.shortMembers.length > 0 &&
        ` (${formatCount(plan.shortMembers.length)} ${plan.shortMembers.length === 1 ? 'member falls' : 'members fall'} short)`}
      . Nothing was written.
    </p>
    {plan.members.length === 0 ? (
      <Empty>No member is owed leads this week.</Empty>
    ) : (
      <DataTable
        columns={[
          'Member',
          'Tier',
          { label: 'Owed', numeric: true },
          { label: 'Planned', numeric: true },
          { label: 'Accrued + carried', numeric: true, title: "this week's accrual + carried over" },
          'From uploads',
          { label: 'Short by', numeric: true },
        ]}
      >
        {plan.members.map((member) => (
          <tr key={member.memberId} className={member.shortfall > 0 ? 'row-short' : undefined}>
            <td>
              <Link href={`/members/${encodeURIComponent(member.memberId)}`}>{member.memberId}</Link>
            </td>
            <td>{member.tier}</td>
            <td className="number">{formatCount(member.owed)}</td>
            <td className="number">{formatCount(member.planned)}</td>
            <td className="number">
              {formatCount(member.accrued)}
              {member.carriedIn > 0 && ` + ${formatCount(member.carriedIn)}`}
            </td>
            <td>
              {member.fromUploads.length === 0
                ? '—'
                : member.fromUploads.map((source, index) => (
                    <span key={source.uploadId}>
                      {index > 0 && ', '}
                      <Link href={`/uploads/${source.uploadId}`} className="mono">
                        {source.uploadId.slice(-8)}
                      </Link>{' '}
                      ×{formatCount(source.count)}
                    </span>
                  ))}
            </td>
            <td className="number">{member.shortfall > 0 ? formatCount(member.shortfall) : '—'}</td>
          </tr>
        ))}
      </DataTable>
    )}
  </section>
);

/** Plan a distribution without writing, or start one now (it begins within about a minute). */
export const RunPanel = () => {
  const dryRun = useDryRun();
  const runNow = useRunNow();
  return (
    <>
      <div className="form-actions">
        <button type="button" className="button" disabled={dryRun.isPending} onClick={() => dryRun.mutate()}>
          {dryRun.isPending ? 'Planning…' : 'Dry run'}
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={runNow.isPending}
          onClick={() => {
            if (window.confirm('Start a distribution now? Members are assigned leads and notified.'))
              runNow.mutate();
          }}
        >
          {runNow.isPending ? 'Starting…' : 'Run now'}
        </button>
      </div>
      {runNow.isError && <ErrorMessage error={runNow.error} />}
      {runNow.isSuccess && (
        <p className="notice notice-good" role="status">
          Run started; it begins about {formatInstant(runNow.data.startsAt)}.{' '}
          <Link href={`/distributions/${runNow.data.runId}`}>Follow the run</Link>
        </p>
      )}
      {dryRun.isError && <ErrorMessage error={dryRun.error} />}
      {dryRun.isSuccess && <PlanTable plan={dryRun.data} />}
    </>
  );
};
